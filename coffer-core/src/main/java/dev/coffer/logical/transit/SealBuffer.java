package dev.coffer.logical.transit;

import dev.coffer.CofferException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A plaintext laid out as its AEAD ciphertext will be, {@code nonce(12) | plaintext | room for the tag(16)}, so
 * {@link Encryptor} encrypts it in place: base64 input is decoded straight into it, no separate plaintext array
 * exists, and encryption itself overwrites the plaintext. {@link #wipe()} zeroes a plaintext that was not
 * encrypted (an error, or a type that does not encrypt in place).
 */
final class SealBuffer {
    static final int OFFSET = Encryptor.NONCE_LEN;

    private final byte[] buf;
    private final int length;
    private boolean sealed;

    private SealBuffer(int length) {
        this.buf = new byte[OFFSET + length + Encryptor.TAG_LEN];
        this.length = length;
    }

    static SealBuffer copyOf(byte[] plaintext) {
        SealBuffer b = new SealBuffer(plaintext.length);
        System.arraycopy(plaintext, 0, b.buf, OFFSET, plaintext.length);
        return b;
    }

    /**
     * Decodes standard base64 as {@link Fields#base64} does (null or empty is an empty plaintext); {@code field}
     * names the request field in the error.
     */
    static SealBuffer fromBase64(String text, String field) {
        if (text == null || text.isEmpty()) {
            return new SealBuffer(0);
        }
        byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
        SealBuffer b = new SealBuffer(decodedLength(ascii));
        try {
            // the decoder writes from index 0; the plaintext is then moved behind the nonce's place
            if (Base64.getDecoder().decode(ascii, b.buf) == b.length) {
                System.arraycopy(b.buf, 0, b.buf, OFFSET, b.length);
                Arrays.fill(b.buf, 0, Math.min(OFFSET, b.length), (byte) 0);
                return b;
            }
        } catch (IllegalArgumentException e) {
            // malformed, or a size this estimate got wrong: the plain decoder below decides
        }
        b.wipe();
        byte[] plaintext;
        try {
            plaintext = Base64.getDecoder().decode(ascii);
        } catch (IllegalArgumentException e) {
            throw Fields.notBase64(field);
        }
        try {
            return copyOf(plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The decoded size of well-formed base64, padded or not, counted as {@link Base64.Decoder} sizes its output. */
    private static int decodedLength(byte[] ascii) {
        int len = ascii.length;
        int pad = 0;
        if (len >= 2 && ascii[len - 1] == '=') {
            pad = ascii[len - 2] == '=' ? 2 : 1;
        }
        if (pad == 0 && (len & 3) != 0) {
            pad = 4 - (len & 3);
        }
        return Math.max(0, 3 * ((len + 3) / 4) - pad);
    }

    int length() {
        return length;
    }

    /** The whole buffer; the plaintext is at {@link #OFFSET}, {@link #length()} bytes. */
    byte[] buffer() {
        return buf;
    }

    /** A copy of the plaintext, for the types that do not encrypt in place (RSA); the caller wipes it. */
    byte[] plaintextCopy() {
        return Arrays.copyOfRange(buf, OFFSET, OFFSET + length);
    }

    /** Marks the buffer as holding ciphertext now: {@link #wipe()} leaves it alone. */
    byte[] sealed() {
        sealed = true;
        return buf;
    }

    void wipe() {
        if (!sealed) {
            Arrays.fill(buf, (byte) 0);
        }
    }
}
