package dev.coffer.seal.aws;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The fake's keys: symmetric keys addressed by id, ARN or alias, each with backing key versions (rotation adds
 * one, old ones stay to decrypt). Its ciphertext blobs are its own format, opaque to clients like KMS's:
 * {@code 0x01 | keyIdLength | keyId | version | iv | AES-256-GCM(plaintext, aad = encryption context)}.
 */
final class FakeKmsKeys {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "111122223333";

    static final class Key {
        final String id = UUID.randomUUID().toString();
        final List<byte[]> versions = new ArrayList<>();
        volatile String state = "Enabled";

        String arn() {
            return "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + id;
        }
    }

    /** Thrown with the KMS error type ({@code __type}) the fake should answer. */
    static final class KmsError extends Exception {
        final String type;

        KmsError(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final Map<String, String> aliases = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    synchronized Key create() {
        Key key = new Key();
        keys.put(key.id, key);
        rotate(key);
        return key;
    }

    /** Adds a backing key version (like automatic or on-demand rotation); the key's id and ARN stay the same. */
    synchronized void rotate(Key key) {
        byte[] material = new byte[32];
        random.nextBytes(material);
        key.versions.add(material);
    }

    void alias(String name, Key key) {
        aliases.put(name, key.id);
    }

    /** Resolves a key id, key ARN, alias name or alias ARN, as KMS does for the KeyId parameter. */
    Key resolve(String keyId) throws KmsError {
        String id = keyId;
        String arnPrefix = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":";
        if (id.startsWith(arnPrefix)) {
            id = id.substring(arnPrefix.length());
            id = id.startsWith("key/") ? id.substring(4) : id;
        }
        if (id.startsWith("alias/")) {
            String target = aliases.get(id);
            if (target == null) {
                throw new KmsError("NotFoundException", "Alias " + arnPrefix + id + " is not found.");
            }
            id = target;
        }
        Key key = keys.get(id);
        if (key == null) {
            throw new KmsError("NotFoundException", "Key '" + arnPrefix + "key/" + id + "' does not exist");
        }
        return key;
    }

    byte[] encrypt(Key key, byte[] plaintext, Map<String, String> context) throws GeneralSecurityException {
        int version;
        byte[] material;
        synchronized (this) {
            version = key.versions.size() - 1;
            material = key.versions.get(version);
        }
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, material, iv, context).doFinal(plaintext);
        byte[] id = key.id.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(1 + 1 + id.length + 4 + iv.length + sealed.length)
                .put((byte) 1).put((byte) id.length).put(id).putInt(version).put(iv).put(sealed).array();
    }

    /** The key a blob names, for KMS's check against a KeyId given with Decrypt. */
    Key keyOf(byte[] blob) throws KmsError {
        try {
            ByteBuffer in = ByteBuffer.wrap(blob);
            if (in.get() != 1) {
                throw new KmsError("InvalidCiphertextException", null);
            }
            byte[] id = new byte[in.get()];
            in.get(id);
            Key key = keys.get(new String(id, StandardCharsets.US_ASCII));
            if (key == null) {
                throw new KmsError("InvalidCiphertextException", null);
            }
            return key;
        } catch (RuntimeException e) {
            throw new KmsError("InvalidCiphertextException", null);
        }
    }

    byte[] decrypt(Key key, byte[] blob, Map<String, String> context) throws KmsError {
        try {
            ByteBuffer in = ByteBuffer.wrap(blob);
            in.position(2 + in.get(1));
            int version = in.getInt();
            byte[] iv = new byte[12];
            in.get(iv);
            byte[] sealed = new byte[in.remaining()];
            in.get(sealed);
            byte[] material;
            synchronized (this) {
                material = key.versions.get(version);
            }
            return gcm(Cipher.DECRYPT_MODE, material, iv, context).doFinal(sealed);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KmsError("InvalidCiphertextException", null);
        }
    }

    /** The backing version a blob was encrypted under (tests check rotation with it). */
    static int versionOf(byte[] blob) {
        ByteBuffer in = ByteBuffer.wrap(blob);
        in.position(2 + in.get(1));
        return in.getInt();
    }

    private static Cipher gcm(int mode, byte[] material, byte[] iv, Map<String, String> context)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(material, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(canonical(context));
        return cipher;
    }

    /** Length-prefixed, sorted encoding of the encryption context, so no two contexts encode alike. */
    private static byte[] canonical(Map<String, String> context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
            for (String part : List.of(e.getKey(), e.getValue())) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }
}
