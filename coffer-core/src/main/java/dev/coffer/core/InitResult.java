package dev.coffer.core;

import java.util.List;

/** {@code sys/init} result: the unseal key shares (hand them out and forget them) and the root token. */
public record InitResult(List<byte[]> keys, List<byte[]> recoveryKeys, String rootToken) {
    public InitResult {
        keys = List.copyOf(keys);
        recoveryKeys = List.copyOf(recoveryKeys);
    }
}
