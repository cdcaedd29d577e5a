package dev.coffer.logical.transit;

import dev.coffer.CofferException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The self-describing text form of every ciphertext, HMAC and signature: {@code vault:v<N>:<base64>}. The
 * version tells decrypt/verify which key version to use, so rotation never strands data.
 */
record VersionedValue(int version, byte[] bytes) {
    static final String PREFIX = "vault:v";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    /** Per-thread buffers up to this size are kept for the next call; larger ones are dropped after use. */
    private static final int KEPT_SCRATCH = 64 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

    /**
     * The text form, built with one copy into the String: the base64 goes into a reused per-thread buffer and the
     * prefix is put in front of it there ({@code encodeToString} plus concatenation copied the text three times,
     * which cost more than the AES-GCM of a 1 KiB value). The buffer only ever holds ciphertext, MACs or signatures.
     * Helidon serves a connection's requests on one (virtual) thread, so the buffer is reused across them.
     */
    String encode() {
        String digits = Integer.toString(version);
        int head = PREFIX_BYTES.length + digits.length() + 1;
        int b64 = 4 * ((bytes.length + 2) / 3);
        int total = head + b64;
        byte[] buf = SCRATCH.get();
        if (buf == null || buf.length < total) {
            buf = new byte[total];
            if (total <= KEPT_SCRATCH) {
                SCRATCH.set(buf);
            }
        }
        Base64.getEncoder().encode(bytes, buf);
        System.arraycopy(buf, 0, buf, head, b64);
        System.arraycopy(PREFIX_BYTES, 0, buf, 0, PREFIX_BYTES.length);
        for (int i = 0; i < digits.length(); i++) {
            buf[PREFIX_BYTES.length + i] = (byte) digits.charAt(i);
        }
        buf[head - 1] = ':';
        return new String(buf, 0, total, StandardCharsets.ISO_8859_1);
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
