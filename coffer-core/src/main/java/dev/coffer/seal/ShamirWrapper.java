package dev.coffer.seal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The seal side of Shamir mode: AES-256-GCM under the key that the unseal shares combine into. That key
 * never touches storage; it exists in memory between {@link #setKey} and {@link #wipe}.
 *
 * <p>A wrong key (shares from another split, or fewer shares than the threshold) is detected by the GCM
 * tag and reported as {@link SealException.Reason#INTEGRITY}.
 */
public final class ShamirWrapper implements KmsWrapper {

    public static final String TYPE = "shamir";
    public static final String MECHANISM = "aes-256-gcm";
    static final int KEY_LENGTH = 32;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    /** Domain separation so the fingerprint cannot be confused with any other hash of the key. */
    private static final byte[] FINGERPRINT_LABEL = "coffer shamir key fingerprint v1".getBytes(StandardCharsets.US_ASCII);

    private final SecureRandom random;
    private byte[] key;
    private String keyId = "";

    public ShamirWrapper() {
        this(new SecureRandom());
    }

    public ShamirWrapper(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Installs a copy of the combined unseal key (32 bytes), wiping any previous one. */
    public synchronized void setKey(byte[] newKey) throws SealException {
        if (newKey == null || newKey.length != KEY_LENGTH) {
            throw new SealException(SealException.Reason.CONFIG, "the combined unseal key must be " + KEY_LENGTH
                    + " bytes, got " + (newKey == null ? 0 : newKey.length) + ": the shares are not Coffer unseal keys");
        }
        wipe();
        key = newKey.clone();
        keyId = fingerprint(key);
    }

    /** Zeroes the key. Idempotent. */
    public synchronized void wipe() {
        if (key != null) {
            Arrays.fill(key, (byte) 0);
            key = null;
        }
        keyId = "";
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** A 16-hex-digit fingerprint (truncated SHA-256 with a label) of the key, or "" when none is set. */
    @Override
    public synchronized String keyId() {
        return keyId;
    }

    @Override
    public synchronized BlobInfo encrypt(byte[] plaintext, byte[] aad) throws SealException {
        byte[] currentKey = requireKey();
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, currentKey, nonce, aad);
            return new BlobInfo(TYPE, MECHANISM, keyId, nonce, null, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new SealException(SealException.Reason.OTHER, "AES-256-GCM encryption failed in the shamir seal", e);
        }
    }

    @Override
    public synchronized byte[] decrypt(BlobInfo blob, byte[] aad) throws SealException {
        byte[] currentKey = requireKey();
        if (!TYPE.equals(blob.wrapperType()) || !MECHANISM.equals(blob.mechanism())) {
            throw new SealException(SealException.Reason.CONFIG, "the stored root key was wrapped by seal type '"
                    + blob.wrapperType() + "' (" + blob.mechanism() + "), not by the shamir seal: configure the matching seal"
                    + " or migrate the seal");
        }
        if (blob.iv().length != NONCE_LENGTH) {
            throw new SealException(SealException.Reason.INTEGRITY, "the shamir seal blob has a " + blob.iv().length
                    + "-byte IV instead of " + NONCE_LENGTH + ": the stored blob is corrupt");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, currentKey, blob.iv(), aad).doFinal(blob.ciphertext());
        } catch (AEADBadTagException e) {
            throw new SealException(SealException.Reason.INTEGRITY, "the unseal keys do not match this server's root key"
                    + " (wrong shares, shares from another cluster, or fewer shares than the threshold): reset the unseal"
                    + " progress and enter the correct keys", e);
        } catch (GeneralSecurityException e) {
            throw new SealException(SealException.Reason.INTEGRITY, "the shamir seal blob cannot be decrypted", e);
        }
    }

    private byte[] requireKey() throws SealException {
        if (key == null) {
            throw new SealException(SealException.Reason.CONFIG, "the shamir seal has no key yet: enter the unseal keys first");
        }
        return key;
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        if (aad != null && aad.length > 0) {
            cipher.updateAAD(aad);
        }
        return cipher;
    }

    private static String fingerprint(byte[] key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(FINGERPRINT_LABEL);
            byte[] digest = sha256.digest(key);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
