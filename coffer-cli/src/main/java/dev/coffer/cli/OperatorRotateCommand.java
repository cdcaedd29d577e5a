package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import dev.coffer.api.KeyStatus;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code coffer operator rotate}: adds a new barrier key term; older terms stay for reading old data. */
@Command(name = "rotate", description = "Add a new encryption key term; new writes use it.")
final class OperatorRotateCommand extends ClientCommand {
    OperatorRotateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "rotating key";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        client.rotate();
        KeyStatus status = client.keyStatus();
        if (format == OutputFormat.JSON) {
            Output.json(ctx.out(), status);
            return 0;
        }
        ctx.out().println("Success! Rotated key");
        ctx.out().println();
        Output.columns(ctx.out(), List.of(
                Output.Row.of("Key Term", status.term()),
                Output.Row.of("Install Time", status.installTime())));
        return 0;
    }
}
