package dev.coffer.storage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps key segments to file names and back for {@link FileBackend}.
 *
 * <p>A segment is UTF-8 encoded and every byte outside {@code [a-z0-9_-]} becomes {@code %XX} (upper-case
 * hex). So an encoded name never contains '.', '/' or '\', can never be "." or "..", never starts with '.'
 * (the mark of temp files), has no upper-case letter outside an escape (distinct keys stay distinct on
 * case-insensitive file systems) and no non-ASCII character (no Unicode normalisation surprises on macOS).
 *
 * <p>The kind of a directory entry is a suffix the encoding cannot produce, so an entry {@code a} and a
 * folder {@code a/} live side by side: {@code <enc>} is a value file, {@code <enc>.d} a folder. Names longer
 * than {@link #MAX_COMPONENT} are split into chunks; every chunk but the last is a continuation directory
 * {@code <chunk>.c} holding the rest, which keeps each component under the usual 255-byte name limit.
 */
final class FileNames {

    /** Leaves room for the two-character suffix under the common 255-byte NAME_MAX. */
    static final int MAX_COMPONENT = 240;

    static final String FOLDER_SUFFIX = ".d";
    static final String CONTINUATION_SUFFIX = ".c";
    static final String TEMP_PREFIX = ".tmp-";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private FileNames() {
    }

    /** Path components for a segment that is a value ({@code folder == false}) or a folder. */
    static List<String> components(String segment, boolean folder) {
        String encoded = encode(segment);
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (encoded.length() - start > MAX_COMPONENT) {
            parts.add(encoded.substring(start, start + MAX_COMPONENT) + CONTINUATION_SUFFIX);
            start += MAX_COMPONENT;
        }
        parts.add(encoded.substring(start) + (folder ? FOLDER_SUFFIX : ""));
        return parts;
    }

    static String encode(String segment) {
        byte[] utf8 = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length);
        for (byte b : utf8) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    /** The segment an encoded name stands for, or empty when the name was not produced by {@link #encode}. */
    static Optional<String> decode(String encoded) {
        if (encoded.isEmpty()) {
            return Optional.empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int hi = i + 2 < encoded.length() ? hexValue(encoded.charAt(i + 1)) : -1;
                int lo = hi >= 0 ? hexValue(encoded.charAt(i + 2)) : -1;
                if (lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                bytes.write(c);
            } else {
                return Optional.empty();
            }
        }
        // Only the canonical spelling counts, so a stray "%61" can never list as "a" while get("a") misses it.
        return strictUtf8(bytes.toByteArray()).filter(segment -> encode(segment).equals(encoded));
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static Optional<String> strictUtf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
