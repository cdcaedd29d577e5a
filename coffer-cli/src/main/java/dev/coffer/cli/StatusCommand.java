package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import dev.coffer.api.SealStatus;
import picocli.CommandLine.Command;

/** {@code coffer status}: seal and HA state of one server. */
@Command(name = "status", description = "Show whether the server is initialized, sealed, and active or standby.",
        footer = {"", "Exit codes: 0 unsealed, 2 sealed, 1 error."})
final class StatusCommand extends ClientCommand {
    StatusCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "checking seal status";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        SealStatus seal = client.sealStatus();
        StatusView.print(ctx.out(), format, seal, StatusView.leader(client, seal), SealHealthRows.fetch(client, seal));
        return seal.sealed() ? 2 : 0;
    }
}
