package dev.coffer.logical.transit;

import dev.coffer.CofferException;
import java.util.Base64;

/**
 * The self-describing text form of every ciphertext, HMAC and signature: {@code vault:v<N>:<base64>}. The
 * version tells decrypt/verify which key version to use, so rotation never strands data.
 */
record VersionedValue(int version, byte[] bytes) {
    static final String PREFIX = "vault:v";

    String encode() {
        return PREFIX + version + ":" + Base64.getEncoder().encodeToString(bytes);
    }

    static String encode(int version, byte[] bytes) {
        return new VersionedValue(version, bytes).encode();
    }

    /** Parses {@code value}; {@code what} names the field in error messages (ciphertext, hmac, signature). */
    static VersionedValue parse(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new CofferException.BadRequest("missing " + what + "; give the \"vault:v<N>:...\" value a previous call "
                    + "returned");
        }
        if (!value.startsWith(PREFIX)) {
            throw new CofferException.BadRequest("invalid " + what + ": it must start with \"vault:v\"");
        }
        int colon = value.indexOf(':', PREFIX.length());
        if (colon < 0) {
            throw new CofferException.BadRequest("invalid " + what + ": no ':' after the version");
        }
        int version;
        try {
            version = Integer.parseInt(value, PREFIX.length(), colon, 10);
        } catch (NumberFormatException e) {
            throw new CofferException.BadRequest("invalid " + what + ": the version after \"vault:v\" is not a number");
        }
        if (version < 1) {
            throw new CofferException.BadRequest("invalid " + what + ": version must be 1 or greater");
        }
        try {
            return new VersionedValue(version, Base64.getDecoder().decode(value.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new CofferException.BadRequest("invalid " + what + ": the part after the version is not valid base64");
        }
    }
}
