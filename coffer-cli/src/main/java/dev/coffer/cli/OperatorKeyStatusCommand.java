package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import dev.coffer.api.KeyStatus;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code coffer operator key-status}: the barrier keyring's current term. */
@Command(name = "key-status", description = "Show the current encryption key term and its install time.")
final class OperatorKeyStatusCommand extends ClientCommand {
    OperatorKeyStatusCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "reading key status";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        print(ctx.out(), format, client.keyStatus());
        return 0;
    }

    static void print(PrintStream out, OutputFormat format, KeyStatus status) {
        if (format == OutputFormat.JSON) {
            Output.json(out, status);
            return;
        }
        Output.columns(out, List.of(
                Output.Row.of("Key Term", status.term()),
                Output.Row.of("Install Time", status.installTime()),
                Output.Row.of("Encryption Count", status.encryptions())));
    }
}
