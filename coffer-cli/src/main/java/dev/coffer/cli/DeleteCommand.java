package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer delete PATH}: DELETE on any API path. */
@Command(name = "delete", description = "Delete data at any path.")
final class DeleteCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    DeleteCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "deleting " + path;
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        client.delete(path);
        ctx.out().println("Success! Data deleted (if it existed) at: " + path);
        return 0;
    }
}
