package dev.coffer.seal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The local half of a KMS seal's envelope: AES-256-GCM under a fresh data key, the associated data bound by
 * the tag; the KMS only ever sees the 32-byte data key. Shared by the cloud seals so the crypto exists once.
 * {@code seal} names the seal type in error messages.
 */
public final class Envelope {

    public static final int DATA_KEY_LENGTH = 32;
    public static final int IV_LENGTH = 12;
    private static final int TAG_BITS = 128;

    private Envelope() {
    }

    public static byte[] newDataKey(SecureRandom random) {
        byte[] key = new byte[DATA_KEY_LENGTH];
        random.nextBytes(key);
        return key;
    }

    public static byte[] newIv(SecureRandom random) {
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        return iv;
    }

    public static byte[] seal(String seal, byte[] dataKey, byte[] iv, byte[] plaintext, byte[] aad) throws SealException {
        try {
            return cipher(Cipher.ENCRYPT_MODE, dataKey, iv, aad).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new SealException(SealException.Reason.OTHER, seal + " seal: local AES-256-GCM encryption failed", e);
        }
    }

    public static byte[] open(String seal, byte[] dataKey, byte[] iv, byte[] ciphertext, byte[] aad) throws SealException {
        if (dataKey.length != DATA_KEY_LENGTH || iv.length != IV_LENGTH) {
            throw new SealException(SealException.Reason.INTEGRITY, seal + " seal: the blob has a "
                    + dataKey.length + "-byte data key and a " + iv.length + "-byte IV (expected " + DATA_KEY_LENGTH
                    + " and " + IV_LENGTH + "): the stored blob is corrupt");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, dataKey, iv, aad).doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new SealException(SealException.Reason.INTEGRITY, seal + " seal: the blob failed its"
                    + " integrity check (ciphertext altered, or decrypted for another purpose than it was written for):"
                    + " restore the stored value from a backup", e);
        } catch (GeneralSecurityException e) {
            throw new SealException(SealException.Reason.INTEGRITY, seal + " seal: the blob cannot be decrypted", e);
        }
    }

    /**
     * The SHA-256 of the associated data (of no bytes when it is null): what a seal gives a KMS or transit node to
     * bind the aad remotely, so that its size never matters.
     */
    public static byte[] aadDigest(byte[] aad) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(aad == null ? new byte[0] : aad);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        if (aad != null && aad.length > 0) {
            cipher.updateAAD(aad);
        }
        return cipher;
    }
}
