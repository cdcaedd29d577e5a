package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;

/** {@code coffer operator step-down}: the active node gives up leadership; a standby takes over. */
@Command(name = "step-down", description = "Make the active node release leadership so a standby takes over (HA).")
final class OperatorStepDownCommand extends ClientCommand {
    OperatorStepDownCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "stepping down the active node";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        client.stepDown();
        ctx.out().println("Success! Stepped down: another node will take over as active");
        return 0;
    }
}
