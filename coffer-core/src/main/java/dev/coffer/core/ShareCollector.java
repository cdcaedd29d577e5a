package dev.coffer.core;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Collects key shares across requests until a threshold is reached (unseal, rekey). Not thread-safe: the
 * owner serializes access. Collected shares are wiped on {@link #reset()}.
 */
final class ShareCollector {
    private final List<byte[]> shares = new ArrayList<>();
    private String nonce = "";

    /** Adds a share, ignoring an exact duplicate (so a repeated key never counts twice). */
    void add(byte[] share, SecureRandom random) {
        if (shares.isEmpty()) {
            nonce = newNonce(random);
        }
        for (byte[] s : shares) {
            if (MessageDigest.isEqual(s, share)) {
                return;
            }
        }
        shares.add(share.clone());
    }

    int progress() {
        return shares.size();
    }

    String nonce() {
        return nonce;
    }

    /** Shares collected so far (copies the list, not the arrays: the caller must not keep them). */
    List<byte[]> shares() {
        return List.copyOf(shares);
    }

    void reset() {
        for (byte[] s : shares) {
            Arrays.fill(s, (byte) 0);
        }
        shares.clear();
        nonce = "";
    }

    static String newNonce(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String h = HexFormat.of().formatHex(b);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }
}
