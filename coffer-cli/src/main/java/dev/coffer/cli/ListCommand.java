package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.CofferClient;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer list PATH}: the keys under any listable path. */
@Command(name = "list", description = "List keys under a path, e.g. secret/metadata/.")
final class ListCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    ListCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "listing " + path;
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        return print(ctx, format, client.list(path), path);
    }

    static int print(CliContext ctx, OutputFormat format, Optional<JsonNode> body, String path) {
        if (body.isEmpty()) {
            ctx.err().println("No value found at " + path);
            return 2;
        }
        JsonNode keys = body.get().path("data").path("keys");
        if (format == OutputFormat.JSON) {
            Output.json(ctx.out(), keys);
        } else {
            KvListCommand.keys(ctx, keys);
        }
        return 0;
    }
}
