package dev.coffer.logical.transit;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869), used to derive per-context keys from a key version's material. */
final class Hkdf {
    private static final int HASH_LEN = 32;

    private Hkdf() {
    }

    /** Extract-then-expand; an empty salt means HashLen zero bytes, as the RFC specifies. */
    static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length > 255 * HASH_LEN) {
            throw new IllegalArgumentException("HKDF-SHA256 output is limited to " + 255 * HASH_LEN + " bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt == null || salt.length == 0 ? new byte[HASH_LEN] : salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            Arrays.fill(prk, (byte) 0);
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            int done = 0;
            for (int i = 1; done < length; i++) {
                mac.update(block);
                mac.update(info);
                mac.update((byte) i);
                byte[] next = mac.doFinal();
                Arrays.fill(block, (byte) 0);
                block = next;
                int n = Math.min(block.length, length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            Arrays.fill(block, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }
}
