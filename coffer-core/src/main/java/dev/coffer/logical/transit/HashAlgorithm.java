package dev.coffer.logical.transit;

import dev.coffer.CofferException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The hash algorithms of {@code hash/}, {@code hmac/} and {@code sign/}, by their Vault names. */
enum HashAlgorithm {
    SHA2_224("sha2-224", "SHA-224", 28),
    SHA2_256("sha2-256", "SHA-256", 32),
    SHA2_384("sha2-384", "SHA-384", 48),
    SHA2_512("sha2-512", "SHA-512", 64),
    SHA3_224("sha3-224", "SHA3-224", 28),
    SHA3_256("sha3-256", "SHA3-256", 32),
    SHA3_384("sha3-384", "SHA3-384", 48),
    SHA3_512("sha3-512", "SHA3-512", 64);

    private final String apiName;
    private final String jcaName;
    private final int length;

    HashAlgorithm(String apiName, String jcaName, int length) {
        this.apiName = apiName;
        this.jcaName = jcaName;
        this.length = length;
    }

    String apiName() {
        return apiName;
    }

    String jcaName() {
        return jcaName;
    }

    /** The JCA Mac name, e.g. HmacSHA256 or HmacSHA3-256. */
    String hmacName() {
        return "Hmac" + jcaName.replace("SHA-", "SHA");
    }

    int length() {
        return length;
    }

    byte[] digest(byte[] input) {
        try {
            return MessageDigest.getInstance(jcaName).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new CofferException.Internal(jcaName + " is unavailable in this JVM", e);
        }
    }

    /** Parses a Vault name; {@code null} or empty gives {@code fallback}. */
    static HashAlgorithm parse(String name, HashAlgorithm fallback) {
        if (name == null || name.isEmpty()) {
            return fallback;
        }
        for (HashAlgorithm a : values()) {
            if (a.apiName.equals(name)) {
                return a;
            }
        }
        throw new CofferException.BadRequest("unsupported hash algorithm \"" + name + "\"; use one of sha2-224, sha2-256, "
                + "sha2-384, sha2-512, sha3-224, sha3-256, sha3-384, sha3-512");
    }
}
