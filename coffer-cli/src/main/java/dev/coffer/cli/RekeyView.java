package dev.coffer.cli;

import dev.coffer.api.RekeyStatus;
import dev.coffer.api.RekeyTarget;
import dev.coffer.api.RekeyUpdate;
import java.io.PrintStream;
import java.util.List;

/** Output of {@code operator rekey}: progress tables, and the new key shares once the rekey completes. */
final class RekeyView {
    private RekeyView() {
    }

    static void printStatus(PrintStream out, OutputFormat format, RekeyStatus status) {
        if (format == OutputFormat.JSON) {
            Output.json(out, status);
            return;
        }
        Output.keyValueTable(out, List.of(
                Output.Row.of("Nonce", status.nonce()),
                Output.Row.of("Started", status.started()),
                Output.Row.of("Rekey Progress", status.progress() + "/" + status.required()),
                Output.Row.of("New Shares", status.n()),
                Output.Row.of("New Threshold", status.t()),
                Output.Row.of("Verification Required", status.verificationRequired())));
    }

    static void printNewKeys(PrintStream out, OutputFormat format, RekeyUpdate update, int threshold,
                             RekeyTarget target) {
        if (format == OutputFormat.JSON) {
            Output.json(out, update);
            return;
        }
        String label = target == RekeyTarget.RECOVERY ? "Recovery Key" : "Key";
        List<String> keys = update.keysBase64().isEmpty() ? update.keys() : update.keysBase64();
        for (int i = 0; i < keys.size(); i++) {
            out.println(label + " " + (i + 1) + ": " + keys.get(i));
        }
        out.println();
        out.println("Operation nonce: " + update.nonce());
        out.println();
        out.println("Vault rekeyed with " + keys.size() + " key shares and a key threshold of " + threshold + ".");
        out.println("The old key shares no longer work. This is the only time the new ones are shown: give");
        out.println("each to a different trusted person and keep it offline.");
    }
}
