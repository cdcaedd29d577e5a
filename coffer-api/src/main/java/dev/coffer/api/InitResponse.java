package dev.coffer.api;

import java.util.List;

/**
 * Answer of {@code PUT sys/init}. Holds the root token and key shares: the only copy there will ever be, so
 * callers must hand them to the operator and never log them.
 */
public record InitResponse(List<String> keys, List<String> keysBase64, List<String> recoveryKeys,
                           List<String> recoveryKeysBase64, String rootToken) {
    public InitResponse {
        keys = keys == null ? List.of() : List.copyOf(keys);
        keysBase64 = keysBase64 == null ? List.of() : List.copyOf(keysBase64);
        recoveryKeys = recoveryKeys == null ? List.of() : List.copyOf(recoveryKeys);
        recoveryKeysBase64 = recoveryKeysBase64 == null ? List.of() : List.copyOf(recoveryKeysBase64);
    }

    @Override
    public String toString() {
        return "InitResponse[" + keys.size() + " unseal keys, " + recoveryKeys.size() + " recovery keys, root token <redacted>]";
    }
}
