package dev.coffer.logical.transit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/** The public description of a key returned by {@code keys/:name} reads and writes. Never includes secrets. */
final class KeyInfo {
    private KeyInfo() {
    }

    static ObjectNode describe(KeyPolicy p) {
        KeyType t = p.type();
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("name", p.name()).put("type", t.apiName()).put("derived", p.derived())
                .put("exportable", p.exportable()).put("allow_plaintext_backup", p.allowPlaintextBackup())
                .put("deletion_allowed", p.deletionAllowed()).put("latest_version", p.latestVersion())
                .put("min_available_version", p.minAvailableVersion())
                .put("min_decryption_version", p.minDecryptionVersion())
                .put("min_encryption_version", p.minEncryptionVersion())
                .put("supports_encryption", t.supportsEncryption()).put("supports_decryption", t.supportsEncryption())
                .put("supports_derivation", t.supportsDerivation()).put("supports_signing", t.supportsSigning())
                .put("auto_rotate_period", p.autoRotatePeriod().toSeconds()).put("imported_key", false);
        if (p.derived()) {
            d.put("kdf", "hkdf_sha256").put("convergent_encryption", p.convergent());
        }
        ObjectNode keys = d.putObject("keys");
        p.versions().forEach((v, kv) -> {
            if (t.symmetric()) {
                keys.put(Integer.toString(v), kv.created().getEpochSecond());
            } else {
                keys.putObject(Integer.toString(v)).put("creation_time", kv.created().toString())
                        .put("name", curveName(t)).put("public_key", publicKey(t, kv.publicKey()));
            }
        });
        return d;
    }

    private static String curveName(KeyType t) {
        return switch (t) {
            case ECDSA_P256 -> "P-256";
            case ECDSA_P384 -> "P-384";
            case ECDSA_P521 -> "P-521";
            default -> t.apiName();
        };
    }

    /** Ed25519: the raw 32-byte key in base64; EC and RSA: a PEM SubjectPublicKeyInfo. */
    static String publicKey(KeyType t, PublicKey key) {
        byte[] spki = key.getEncoded();
        if (t == KeyType.ED25519) {
            return Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        }
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(spki)
                + "\n-----END PUBLIC KEY-----\n";
    }
}
