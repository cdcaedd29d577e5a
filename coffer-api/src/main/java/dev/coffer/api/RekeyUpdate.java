package dev.coffer.api;

import java.util.List;

/**
 * Answer of {@code PUT sys/rekey/update}. Until {@code complete} it reports progress; once complete it holds
 * the new key shares, which must reach the operator and never a log.
 */
public record RekeyUpdate(boolean complete, List<String> keys, List<String> keysBase64, String nonce, int progress,
                          int required, boolean verificationRequired) {
    public RekeyUpdate {
        keys = keys == null ? List.of() : List.copyOf(keys);
        keysBase64 = keysBase64 == null ? List.of() : List.copyOf(keysBase64);
    }

    @Override
    public String toString() {
        return "RekeyUpdate[complete=" + complete + ", " + keys.size() + " keys <redacted>, progress=" + progress
                + "/" + required + "]";
    }
}
