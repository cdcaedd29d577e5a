package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer read [-field=NAME] PATH}: reads any API path and prints its data. */
@Command(name = "read", description = "Read data from any path, e.g. secret/data/app or sys/mounts.")
final class ReadCommand extends ClientCommand {
    @Option(names = {"-field", "--field"}, description = "Print only this field's value.")
    String field;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    ReadCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "reading " + path;
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        JsonNode body = client.read(path).orElseThrow(() -> new CommandFailure("No value found at " + path));
        return print(ctx, format, body, field);
    }

    /** Prints an API answer: its data as a table, one field, or the whole body as JSON. */
    static int print(CliContext ctx, OutputFormat format, JsonNode body, String field) {
        JsonNode data = body.path("data");
        if (field != null) {
            return SecretView.field(ctx.out(), data, field);
        }
        if (format == OutputFormat.JSON) {
            Output.json(ctx.out(), body);
        } else if (data.isObject()) {
            SecretView.table(ctx.out(), null, data);
        }
        return 0;
    }
}
