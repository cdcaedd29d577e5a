package dev.coffer.barrier;

import dev.coffer.CofferException;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The barrier's stored format: {@code [4-byte big-endian term][version 2][12-byte random nonce][AES-256-GCM
 * ciphertext + 16-byte tag]}, with the storage path (UTF-8) as associated data so a value copied to another
 * path fails to decrypt. Term 0 marks the keyring itself, which is encrypted by the root key.
 *
 * <p>Every encryption draws a fresh random nonce; a cached {@link Cipher} is always re-initialized with it
 * before use, so caching never repeats a nonce.
 */
public final class AesGcm {

    public static final byte VERSION = 2;
    public static final int TERM_LENGTH = 4;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    public static final int HEADER_LENGTH = TERM_LENGTH + 1 + NONCE_LENGTH;
    /** Term number used for the keyring, which is encrypted by the root key rather than a keyring term. */
    public static final int ROOT_KEY_TERM = 0;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /** Platform threads are long-lived, so each keeps one Cipher; getInstance costs more than a 1 KiB seal. */
    private static final ThreadLocal<Cipher> PER_THREAD = ThreadLocal.withInitial(AesGcm::newCipher);
    /**
     * Virtual threads may live for one request only, so they share a pool: slots taken and filled by one
     * compare-and-set each, searched from a place that depends on the thread so threads rarely meet on a slot.
     * (A queue with a counter cost four atomic operations and a node per use: ~0.2 µs of a 1 KiB read.)
     */
    private static final int POOL_SLOTS = 256;
    private static final AtomicReferenceArray<Cipher> POOL = new AtomicReferenceArray<>(POOL_SLOTS);

    private AesGcm() {
    }

    /** Encrypts {@code plaintext} for storage at {@code path} under {@code key}, recording {@code term}. */
    public static byte[] encrypt(SecretKey key, int term, String path, byte[] plaintext, SecureRandom random) {
        byte[] out = new byte[HEADER_LENGTH + plaintext.length + TAG_LENGTH];
        out[0] = (byte) (term >>> 24);
        out[1] = (byte) (term >>> 16);
        out[2] = (byte) (term >>> 8);
        out[3] = (byte) term;
        out[TERM_LENGTH] = VERSION;
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, TERM_LENGTH + 1, NONCE_LENGTH);
        Cipher cipher = borrow();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, out, TERM_LENGTH + 1, NONCE_LENGTH));
            cipher.updateAAD(path.getBytes(StandardCharsets.UTF_8));
            cipher.doFinal(plaintext, 0, plaintext.length, out, HEADER_LENGTH);
            return out;
        } catch (GeneralSecurityException e) {
            throw new CofferException.Internal("AES-256-GCM encryption failed for '" + path + "'", e);
        } finally {
            giveBack(cipher);
        }
    }

    /**
     * Decrypts a value read from {@code path}.
     *
     * @throws CofferException.Internal when the value is malformed, was tampered with, was moved from another
     *                                  path, or was encrypted under another key
     */
    public static byte[] decrypt(SecretKey key, String path, byte[] stored) {
        checkFormat(path, stored);
        Cipher cipher = borrow();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, stored, TERM_LENGTH + 1, NONCE_LENGTH));
            cipher.updateAAD(path.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(stored, HEADER_LENGTH, stored.length - HEADER_LENGTH);
        } catch (AEADBadTagException e) {
            throw new CofferException.Internal("integrity check failed for the value at '" + path
                    + "': it was modified, moved from another path, or encrypted with another key", e);
        } catch (GeneralSecurityException e) {
            throw new CofferException.Internal("AES-256-GCM decryption failed for '" + path + "'", e);
        } finally {
            giveBack(cipher);
        }
    }

    /** The keyring term recorded in a stored value (after checking its format). */
    public static int term(String path, byte[] stored) {
        checkFormat(path, stored);
        return ((stored[0] & 0xff) << 24) | ((stored[1] & 0xff) << 16) | ((stored[2] & 0xff) << 8) | (stored[3] & 0xff);
    }

    private static void checkFormat(String path, byte[] stored) {
        if (stored.length < HEADER_LENGTH + TAG_LENGTH) {
            throw new CofferException.Internal("the value at '" + path + "' is too short (" + stored.length
                    + " bytes) to be barrier ciphertext: storage is corrupt or was written without the barrier", null);
        }
        if (stored[TERM_LENGTH] != VERSION) {
            throw new CofferException.Internal("the value at '" + path + "' has barrier format version "
                    + stored[TERM_LENGTH] + ", this build reads version " + VERSION, null);
        }
    }

    private static Cipher borrow() {
        Thread thread = Thread.currentThread();
        if (!thread.isVirtual()) {
            return PER_THREAD.get();
        }
        int start = (int) thread.threadId();
        for (int i = 0; i < POOL_SLOTS; i++) {
            int slot = (start + i) & (POOL_SLOTS - 1);
            Cipher cached = POOL.get(slot);
            if (cached != null && POOL.compareAndSet(slot, cached, null)) {
                return cached;
            }
        }
        return newCipher();
    }

    /** Puts a virtual thread's Cipher back in a free slot (dropped when all are full). */
    private static void giveBack(Cipher cipher) {
        Thread thread = Thread.currentThread();
        if (!thread.isVirtual()) {
            return;
        }
        int start = (int) thread.threadId();
        for (int i = 0; i < POOL_SLOTS; i++) {
            int slot = (start + i) & (POOL_SLOTS - 1);
            if (POOL.get(slot) == null && POOL.compareAndSet(slot, null, cipher)) {
                return;
            }
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is required by every Java platform", e);
        }
    }
}
