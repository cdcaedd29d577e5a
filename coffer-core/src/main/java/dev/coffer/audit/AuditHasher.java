package dev.coffer.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a sensitive string into {@code hmac-sha256:<hex>}, keyed by the vault's audit salt. The same input
 * always gives the same output on one vault, so an operator can find a known token or value in the log
 * ({@code sys/audit-hash}) without the log ever holding it; without the salt the hash cannot be brute-forced
 * offline.
 */
public final class AuditHasher {
    static final String PREFIX = "hmac-sha256:";

    private final SecretKeySpec key;

    AuditHasher(byte[] salt) {
        this.key = new SecretKeySpec(salt, "HmacSHA256");
    }

    public String hash(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }
}
