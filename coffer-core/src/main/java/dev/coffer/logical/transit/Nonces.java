package dev.coffer.logical.transit;

import java.security.SecureRandom;

/**
 * Fresh random AEAD nonces for one request. A batch draws them from the {@link SecureRandom} in chunks rather than
 * 12 bytes per item: the default Linux generator (NativePRNG) takes a global lock and mixes in a SHA-1 block on
 * every call, which for a 12-byte nonce cost about as much as AES-GCM of 1 KiB itself. Every nonce is still used
 * once and comes from the same generator; only the number of calls changes. Not thread-safe: one per request.
 */
final class Nonces {
    /** Nonces drawn per call at most (768 bytes), so a huge batch does not draw everything up front. */
    static final int CHUNK = 64;

    private final SecureRandom random;
    private int expected;
    private byte[] pool = new byte[0];
    private int next;

    /** {@code expected}: how many nonces the request will most likely need (its item count). */
    Nonces(SecureRandom random, int expected) {
        this.random = random;
        this.expected = Math.max(1, expected);
    }

    /** Writes the next unused nonce into {@code out} at {@code offset}. */
    void next(byte[] out, int offset) {
        if (next == pool.length) {
            int count = Math.min(Math.max(1, expected), CHUNK);
            pool = new byte[count * Encryptor.NONCE_LEN];
            random.nextBytes(pool);
            expected -= count;
            next = 0;
        }
        System.arraycopy(pool, next, out, offset, Encryptor.NONCE_LEN);
        next += Encryptor.NONCE_LEN;
    }
}
