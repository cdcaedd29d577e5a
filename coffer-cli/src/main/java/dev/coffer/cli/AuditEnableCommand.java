package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer audit enable [-path=P] [-description=D] TYPE [key=value...]}. */
@Command(name = "enable", description = "Enable an audit device, e.g. `audit enable file file_path=/var/log/coffer/"
        + "audit.log`. Once one is enabled, requests fail unless some audit device records them.")
final class AuditEnableCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TYPE", description = "Device type: file.")
    String type;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Device options, e.g. file_path=stdout, "
            + "log_raw=false, hmac_accessor=true, mode=0600, prefix=, format=json.")
    List<String> options = List.of();

    @Option(names = {"-path", "--path"}, paramLabel = "PATH", description = "Where to enable it (default: TYPE).")
    String path;

    @Option(names = {"-description", "--description"}, paramLabel = "TEXT", description = "Human-readable note.")
    String description;

    @Option(names = {"-local", "--local"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Mark the device local (kept for Vault compatibility; no effect on a single node).")
    boolean local;

    AuditEnableCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "enabling audit device";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        Map<String, String> parsed = parseOptions();
        String p = (path == null || path.isBlank() ? type : path).replaceAll("^/+|/+$", "");
        client.auditEnable(p, type, description, parsed, local);
        ctx.out().println("Success! Enabled the " + type + " audit device at: " + p + "/");
        return 0;
    }

    private Map<String, String> parseOptions() {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String kv : options) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw usage("device options must be KEY=VALUE, e.g. file_path=/var/log/coffer/audit.log; got \"" + kv
                        + "\"");
            }
            parsed.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return parsed;
    }
}
