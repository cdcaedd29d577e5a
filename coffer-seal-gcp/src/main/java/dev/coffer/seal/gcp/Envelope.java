package dev.coffer.seal.gcp;

import dev.coffer.seal.SealException;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The local half of the envelope: AES-256-GCM under a fresh data key, the associated data bound by the tag. */
final class Envelope {

    static final int DATA_KEY_LENGTH = 32;
    static final int IV_LENGTH = 12;
    private static final int TAG_BITS = 128;

    private Envelope() {
    }

    static byte[] newDataKey(SecureRandom random) {
        byte[] key = new byte[DATA_KEY_LENGTH];
        random.nextBytes(key);
        return key;
    }

    static byte[] newIv(SecureRandom random) {
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        return iv;
    }

    static byte[] seal(byte[] dataKey, byte[] iv, byte[] plaintext, byte[] aad) throws SealException {
        try {
            return cipher(Cipher.ENCRYPT_MODE, dataKey, iv, aad).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new SealException(SealException.Reason.OTHER, "gcpckms seal: local AES-256-GCM encryption failed", e);
        }
    }

    static byte[] open(byte[] dataKey, byte[] iv, byte[] ciphertext, byte[] aad) throws SealException {
        if (dataKey.length != DATA_KEY_LENGTH || iv.length != IV_LENGTH) {
            throw new SealException(SealException.Reason.INTEGRITY, "gcpckms seal: the blob has a "
                    + dataKey.length + "-byte data key and a " + iv.length + "-byte IV (expected " + DATA_KEY_LENGTH
                    + " and " + IV_LENGTH + "): the stored blob is corrupt");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, dataKey, iv, aad).doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new SealException(SealException.Reason.INTEGRITY, "gcpckms seal: the blob failed its"
                    + " integrity check (ciphertext altered, or decrypted for another purpose than it was written for):"
                    + " restore the stored value from a backup", e);
        } catch (GeneralSecurityException e) {
            throw new SealException(SealException.Reason.INTEGRITY, "gcpckms seal: the blob cannot be decrypted", e);
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
