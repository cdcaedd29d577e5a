package dev.coffer.snapshot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** SHA-256 digests and the {@code SHA256SUMS} file ({@code <hex>  <name>} per line, as sha256sum writes it). */
final class Sha256 {

    private Sha256() {
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static String hex(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    static byte[] sumsFile(Map<String, String> hexByName) {
        StringBuilder sb = new StringBuilder();
        hexByName.forEach((name, hex) -> sb.append(hex).append("  ").append(name).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a sums file; null when it is not in the expected shape. */
    static Map<String, String> parseSums(byte[] file) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : new String(file, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int sep = line.indexOf("  ");
            if (sep != 64 || !line.substring(0, 64).matches("[0-9a-f]{64}")) {
                return null;
            }
            out.put(line.substring(66), line.substring(0, 64));
        }
        return out;
    }
}
