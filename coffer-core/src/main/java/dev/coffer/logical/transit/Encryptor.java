package dev.coffer.logical.transit;

import dev.coffer.CofferException;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption and decryption with one version of a key. AEAD ciphertexts are {@code nonce(12) | ct | tag(16)};
 * RSA ciphertexts are RSA-OAEP with SHA-256. Derived keys are HKDF-SHA256(version key, context); convergent
 * encryption takes the nonce from an HMAC of the plaintext under a second, separately derived key, so equal
 * plaintexts under the same context give equal ciphertexts.
 */
final class Encryptor {
    static final int NONCE_LEN = 12;
    static final int TAG_LEN = 16;
    /** Vault's wording, kept so clients that match on it keep working; it reveals nothing about why. */
    static final String AUTH_FAILED = "cipher: message authentication failed";
    private static final byte[] NONCE_SALT = "coffer transit convergent nonce".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static final ThreadLocal<Cipher> AES_GCM = ThreadLocal.withInitial(() -> cipher("AES/GCM/NoPadding"));
    private static final ThreadLocal<Cipher> CHACHA = ThreadLocal.withInitial(() -> cipher("ChaCha20-Poly1305"));

    private Encryptor() {
    }

    /** Encrypts with a fresh nonce from {@code nonces} (or, for a convergent key, one derived from the plaintext). */
    static byte[] encrypt(KeyPolicy p, KeyVersion kv, byte[] plaintext, byte[] context, Nonces nonces) {
        SealBuffer in = SealBuffer.copyOf(plaintext);
        try {
            return encrypt(p, kv, in, context, nonces);
        } finally {
            in.wipe();
        }
    }

    /**
     * Encrypts the plaintext in {@code in}; AEAD types encrypt it in place and return its buffer, which is then
     * {@code nonce | ciphertext | tag}. The caller wipes {@code in} (a no-op once it holds ciphertext).
     */
    static byte[] encrypt(KeyPolicy p, KeyVersion kv, SealBuffer in, byte[] context, Nonces nonces) {
        if (p.type().family() == KeyType.Family.RSA) {
            byte[] plaintext = in.plaintextCopy();
            try {
                return rsa(Cipher.ENCRYPT_MODE, kv, plaintext);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
        requireEncryption(p);
        SecretKeySpec key = key(p, kv, context);
        byte[] out = in.buffer();
        int n = in.length();
        if (p.convergent()) {
            System.arraycopy(convergentNonce(kv, context, out, SealBuffer.OFFSET, n), 0, out, 0, NONCE_LEN);
        } else {
            nonces.next(out, 0);
        }
        try {
            // a convergent nonce repeats by design; JCA refuses key+nonce reuse on one Cipher, so use a fresh one
            Cipher c = p.convergent() ? cipher(p.type().jcaCipher()) : threadCipher(p.type());
            c.init(Cipher.ENCRYPT_MODE, key, params(p.type(), out));
            // in place (same array, same offset), which JCA's AEADs do without an internal copy; both append 16 bytes
            if (c.doFinal(out, SealBuffer.OFFSET, n, out, SealBuffer.OFFSET) != n + TAG_LEN) {
                throw new CofferException.Internal(p.type().apiName() + " produced an unexpected ciphertext length", null);
            }
            return in.sealed();
        } catch (GeneralSecurityException e) {
            throw new CofferException.Internal("encryption with a " + p.type().apiName() + " key failed", e);
        }
    }

    static byte[] decrypt(KeyPolicy p, KeyVersion kv, byte[] ciphertext, byte[] context) {
        if (p.type().family() == KeyType.Family.RSA) {
            return rsa(Cipher.DECRYPT_MODE, kv, ciphertext);
        }
        requireEncryption(p);
        if (ciphertext.length < NONCE_LEN + TAG_LEN) {
            throw new CofferException.BadRequest("invalid ciphertext: too short to hold a nonce and an authentication tag");
        }
        SecretKeySpec key = key(p, kv, context);
        try {
            Cipher c = threadCipher(p.type());
            c.init(Cipher.DECRYPT_MODE, key, params(p.type(), ciphertext));
            return c.doFinal(ciphertext, NONCE_LEN, ciphertext.length - NONCE_LEN);
        } catch (GeneralSecurityException e) {
            // tag mismatch, truncated data or a wrong context: one answer for all, so errors are no oracle
            throw new CofferException.BadRequest(AUTH_FAILED);
        }
    }

    private static void requireEncryption(KeyPolicy p) {
        if (!p.type().supportsEncryption()) {
            throw new CofferException.BadRequest("key type " + p.type().apiName() + " does not support encryption; use a "
                    + "key of type aes256-gcm96, aes128-gcm96, chacha20-poly1305 or rsa-*");
        }
    }

    /** The version key, or for a derived key the per-context key (context is then required). */
    private static SecretKeySpec key(KeyPolicy p, KeyVersion kv, byte[] context) {
        if (!p.derived()) {
            return kv.secretKeySpec();
        }
        requireContext(p, context);
        byte[] derived = Hkdf.sha256(kv.secretKeyBytes(), null, context, p.type().size());
        try {
            return new SecretKeySpec(derived, p.type().jcaKeyAlgorithm());
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    static void requireContext(KeyPolicy p, byte[] context) {
        if (context == null || context.length == 0) {
            throw new CofferException.BadRequest("key \"" + p.name() + "\" is derived: give a base64 \"context\" with this "
                    + "request (the same one on encrypt and decrypt)");
        }
    }

    private static byte[] convergentNonce(KeyVersion kv, byte[] context, byte[] buf, int offset, int length) {
        byte[] nonceKey = Hkdf.sha256(kv.secretKeyBytes(), NONCE_SALT, context, 32);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(nonceKey, "HmacSHA256"));
            mac.update(buf, offset, length);
            return Arrays.copyOf(mac.doFinal(), NONCE_LEN);
        } catch (GeneralSecurityException e) {
            throw new CofferException.Internal("HmacSHA256 is unavailable in this JVM", e);
        } finally {
            Arrays.fill(nonceKey, (byte) 0);
        }
    }

    private static byte[] rsa(int mode, KeyVersion kv, byte[] input) {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            OAEPParameterSpec oaep = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
            c.init(mode, mode == Cipher.ENCRYPT_MODE ? kv.publicKey() : kv.privateKey(), oaep);
            return c.doFinal(input);
        } catch (javax.crypto.IllegalBlockSizeException e) {
            throw new CofferException.BadRequest(mode == Cipher.ENCRYPT_MODE
                    ? "plaintext too long for RSA-OAEP with this key; encrypt a data key instead (datakey/)" : AUTH_FAILED);
        } catch (GeneralSecurityException e) {
            if (mode == Cipher.DECRYPT_MODE) {
                throw new CofferException.BadRequest(AUTH_FAILED);
            }
            throw new CofferException.Internal("RSA-OAEP encryption failed", e);
        }
    }

    /** The nonce is the first {@link #NONCE_LEN} bytes of {@code buf} (the ciphertext's layout); the specs copy it. */
    private static AlgorithmParameterSpec params(KeyType type, byte[] buf) {
        return type == KeyType.CHACHA20_POLY1305 ? new IvParameterSpec(buf, 0, NONCE_LEN)
                : new GCMParameterSpec(TAG_LEN * 8, buf, 0, NONCE_LEN);
    }

    private static Cipher threadCipher(KeyType type) {
        return type == KeyType.CHACHA20_POLY1305 ? CHACHA.get() : AES_GCM.get();
    }

    private static Cipher cipher(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " is unavailable in this JVM", e);
        }
    }
}
