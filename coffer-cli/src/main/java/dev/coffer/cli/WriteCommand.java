package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer write PATH [k=v ...]}: writes key=value pairs (or JSON from stdin with -) to any API path. */
@Command(name = "write", description = "Write data to any path: key=value, key=@file, or - for JSON on stdin.")
final class WriteCommand extends ClientCommand {
    @Option(names = {"-field", "--field"}, description = "Print only this field of the answer.")
    String field;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    @Parameters(index = "1..*", paramLabel = "K=V", arity = "0..*")
    List<String> pairs = List.of();

    WriteCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "writing " + path;
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        var answer = client.write(path, KeyValueArgs.parse(pairs, ctx));
        if (answer.isEmpty()) {
            ctx.out().println("Success! Data written to: " + path);
            return 0;
        }
        return ReadCommand.print(ctx, format, answer.get(), field);
    }
}
