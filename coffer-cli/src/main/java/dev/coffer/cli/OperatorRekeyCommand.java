package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import dev.coffer.api.RekeyStatus;
import dev.coffer.api.RekeyTarget;
import dev.coffer.api.RekeyUpdate;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer operator rekey}: replaces the unseal (or recovery) key shares. Start with {@code -init}, then
 * run it once per current share holder until the new shares are printed.
 */
@Command(name = "rekey", description = {"Replace the unseal or recovery key shares.",
    "Start with -init, then submit current key shares (KEY or prompt) until the new shares are printed."})
final class OperatorRekeyCommand extends ClientCommand {
    @Parameters(arity = "0..1", paramLabel = "KEY", description = "A current key share; prompted for when omitted.")
    String key;

    @Option(names = {"-init", "--init"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Start a rekey.")
    boolean init;

    @Option(names = {"-cancel", "--cancel"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Cancel the rekey in progress and discard submitted shares.")
    boolean cancel;

    @Option(names = {"-status", "--status"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Show the progress of the rekey in progress.")
    boolean status;

    @Option(names = {"-key-shares", "--key-shares"}, paramLabel = "N", defaultValue = "5",
            description = "With -init: number of new key shares (default ${DEFAULT-VALUE}).")
    int keyShares;

    @Option(names = {"-key-threshold", "--key-threshold"}, paramLabel = "N", defaultValue = "3",
            description = "With -init: shares the new keys need (default ${DEFAULT-VALUE}).")
    int keyThreshold;

    @Option(names = {"-nonce", "--nonce"}, paramLabel = "NONCE",
            description = "Nonce of the rekey in progress (read from the server when omitted).")
    String nonce;

    @Option(names = {"-target", "--target"}, paramLabel = "TARGET", defaultValue = "barrier",
            description = "barrier (unseal keys, default) or recovery (an auto seal's recovery keys).")
    RekeyTarget target;

    OperatorRekeyCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "rekeying";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        if (Stream.of(init, cancel, status).filter(flag -> flag).count() > 1) {
            throw usage("use only one of -init, -cancel and -status");
        }
        if (init) {
            RekeyView.printStatus(ctx.out(), format, client.rekeyInit(keyShares, keyThreshold, target));
        } else if (cancel) {
            client.rekeyCancel(target);
            ctx.out().println("Success! Canceled rekeying (if it was started)");
        } else if (status) {
            RekeyView.printStatus(ctx.out(), format, client.rekeyStatus(target));
        } else {
            submitKey(client, format);
        }
        return 0;
    }

    private void submitKey(CofferClient client, OutputFormat format) {
        RekeyStatus before = client.rekeyStatus(target);
        if (!before.started()) {
            throw new CommandFailure("Error rekeying: no rekey is in progress; start one with -init");
        }
        String label = target == RekeyTarget.RECOVERY ? "Recovery Key" : "Unseal Key";
        String share = key != null ? key : ctx.prompter().readSecret(label + " (will be hidden): ");
        if (share == null || share.isBlank()) {
            throw new CommandFailure("Error rekeying: no key share was given");
        }
        RekeyUpdate update = client.rekeyUpdate(share.strip(), nonce != null ? nonce : before.nonce(), target);
        if (update.complete()) {
            RekeyView.printNewKeys(ctx.out(), format, update, before.t(), target);
        } else {
            RekeyView.printStatus(ctx.out(), format, client.rekeyStatus(target));
        }
    }
}
