package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer audit disable PATH}. */
@Command(name = "disable", description = "Disable the audit device at PATH; its log file is kept.")
final class AuditDisableCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "The device's path, e.g. file/.")
    String path;

    AuditDisableCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "disabling audit device";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        String p = path.replaceAll("^/+|/+$", "");
        client.auditDisable(p);
        ctx.out().println("Success! Disabled the audit device at: " + p + "/");
        return 0;
    }
}
