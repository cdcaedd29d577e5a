package dev.coffer.core;

import dev.coffer.CofferException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Parsing and fingerprinting of unseal key shares as operators type them (hex or base64). */
public final class KeyShares {
    private KeyShares() {
    }

    /**
     * Decodes a key given as hex (Vault prints both) or standard base64. Errors never echo the key: it is a
     * secret even when malformed.
     */
    public static byte[] decode(String key) {
        if (key == null || key.isBlank()) {
            throw new CofferException.BadRequest("missing unseal key: provide \"key\" (hex or base64), or \"reset\": true");
        }
        String k = key.strip();
        if (k.length() % 2 == 0 && k.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(k);
        }
        try {
            return Base64.getDecoder().decode(k);
        } catch (IllegalArgumentException e) {
            throw new CofferException.BadRequest("the unseal key is neither hex nor base64; paste it exactly as "
                    + "operator init printed it");
        }
    }

    /** Salted SHA-256 of a share, hex, used to recognise this vault's shares without storing them. */
    public static String digest(byte[] salt, byte[] share) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("coffer-share-digest-v1".getBytes(StandardCharsets.US_ASCII));
            md.update(salt);
            md.update(share);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time membership test of a share's digest in the known digests. */
    public static boolean isKnown(List<String> knownDigests, String digest) {
        byte[] d = digest.getBytes(StandardCharsets.US_ASCII);
        boolean found = false;
        for (String known : knownDigests) {
            found |= MessageDigest.isEqual(known.getBytes(StandardCharsets.US_ASCII), d);
        }
        return found;
    }
}
