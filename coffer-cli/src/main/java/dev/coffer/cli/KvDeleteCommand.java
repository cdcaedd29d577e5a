package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer kv delete [-versions=1,2] PATH}: soft-deletes the latest (or given) versions; v1 deletes the key. */
@Command(name = "delete", description = "Delete the latest version (or -versions=...) of a secret; undelete restores it.")
final class KvDeleteCommand extends ClientCommand {
    @Option(names = {"-mount", "--mount"}, description = "The KV mount; PATH is then the key inside it.")
    String mount;

    @Option(names = {"-versions", "--versions"}, split = ",", description = "Versions to delete (KV v2).")
    int[] versions;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    KvDeleteCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "deleting secret";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        KvTarget t = KvTarget.resolve(client, path, mount);
        if (versions != null && versions.length > 0) {
            t.requireV2("kv delete -versions");
            client.write(t.api("delete"), KvVersionsCommand.body(versions));
        } else {
            client.delete(t.api("data"));
        }
        ctx.out().println("Success! Data deleted (if it existed) at: " + t.display());
        return 0;
    }
}
