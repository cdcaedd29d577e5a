package dev.coffer.audit;

import dev.coffer.barrier.SecurityBarrier;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/** Loads or creates the audit salt behind the barrier. */
final class AuditSalt {
    /**
     * The key of the audit HMAC. Behind the barrier, so whoever reads the audit log (or raw storage) cannot
     * test guesses against the hashed values. One salt for the whole vault: every device hashes alike.
     */
    static final String PATH = "core/audit-salt";
    private static final int BYTES = 32;

    private AuditSalt() {
    }

    static AuditHasher loadOrCreate(SecurityBarrier barrier, SecureRandom random) {
        Optional<byte[]> stored = barrier.get(PATH);
        byte[] salt = stored.orElseGet(() -> {
            byte[] fresh = new byte[BYTES];
            random.nextBytes(fresh);
            barrier.put(PATH, fresh);
            return fresh;
        });
        try {
            return new AuditHasher(salt);
        } finally {
            Arrays.fill(salt, (byte) 0);
        }
    }
}
