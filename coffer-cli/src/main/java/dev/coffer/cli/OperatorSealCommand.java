package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;

/** {@code coffer operator seal}: drops the root key from memory; the server stops serving until unsealed. */
@Command(name = "seal", description = "Seal the server: it stops serving requests until unsealed again.")
final class OperatorSealCommand extends ClientCommand {
    OperatorSealCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "sealing";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        client.seal();
        ctx.out().println("Success! Vault is sealed.");
        return 0;
    }
}
