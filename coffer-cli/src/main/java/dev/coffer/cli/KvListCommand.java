package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer kv list PATH}: key names under a path; folders end with '/'. */
@Command(name = "list", description = "List the keys under a path of a KV mount.")
final class KvListCommand extends ClientCommand {
    @Option(names = {"-mount", "--mount"}, description = "The KV mount; PATH is then the folder inside it.")
    String mount;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    KvListCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "listing keys";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        KvTarget t = KvTarget.resolve(client, path, mount);
        return ListCommand.print(ctx, format, client.list(t.api("metadata")), t.display());
    }

    static void keys(CliContext ctx, JsonNode keys) {
        ctx.out().println("Keys");
        ctx.out().println("----");
        keys.forEach(k -> ctx.out().println(k.asText()));
    }
}
