package dev.coffer.barrier;

import dev.coffer.storage.StorageBackend;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The only place where Coffer encrypts and decrypts data. Every value that passes through it is stored as
 * {@code [4-byte term][1 version byte][12-byte nonce][AES-256-GCM ciphertext+tag]} with the storage path as
 * associated data, so raw storage never holds plaintext, a flipped byte fails to decrypt, and a value moved
 * to another path fails to decrypt.
 *
 * <p>Guarantee: while sealed no method that touches data succeeds (they throw
 * {@link dev.coffer.CofferException.Sealed}); sealing wipes the root key and every keyring key from memory.
 */
public interface SecurityBarrier {

    /** True once {@link #initialize} has stored a keyring. Works while sealed. */
    boolean initialized();

    /**
     * Creates the first keyring (term 1) encrypted under {@code rootKey} and stores it. Leaves the barrier
     * sealed. {@code rootKey} is 32 bytes; the caller keeps ownership and wipes its own copy.
     */
    void initialize(byte[] rootKey);

    /**
     * Loads the keyring with {@code rootKey}. A root key that does not decrypt the keyring raises
     * {@link dev.coffer.CofferException.Internal}: the seal has already checked the unseal keys by then, so a
     * mismatch means the stored key hierarchy is inconsistent, not that the operator entered a bad key.
     */
    void unseal(byte[] rootKey);

    /** Wipes all key material from memory. Idempotent. */
    void seal();

    boolean sealed();

    Optional<byte[]> get(String path);

    void put(String path, byte[] value);

    void delete(String path);

    List<String> list(String prefix);

    /** Whether {@link #writeAll} is all or nothing, as the storage's {@link StorageBackend#atomicBatches}. */
    default boolean atomicBatches() {
        return false;
    }

    /**
     * Puts and deletes as one storage batch ({@link StorageBackend#writeAll}): every put value is encrypted for
     * its own path first, then the batch goes down at once, atomically on a backend that supports it.
     */
    default void writeAll(List<StorageBackend.Write> writes) {
        for (StorageBackend.Write write : writes) {
            if (write.isDelete()) {
                delete(write.key());
            } else {
                put(write.key(), write.value());
            }
        }
    }

    /** Adds a new keyring term used for all new writes; older terms keep decrypting. Returns the new term. */
    int rotate();

    /** Re-reads the keyring from storage (a standby that became active, or another node rotated). */
    void reloadKeyring();

    KeyStatus keyStatus();

    RotationConfig rotationConfig();

    void setRotationConfig(RotationConfig config);

    /** Rotates when the active term's encryption count or age passed the configured limits. */
    boolean rotateIfDue();

    /**
     * Replaces the root key: re-encrypts the keyring under {@code newRootKey} (used by rekey, which makes a new
     * root key for new shares). The caller wipes its own copy.
     */
    void rekeyRootKey(byte[] newRootKey);

    /**
     * Encrypts {@code value} exactly as {@link #put} would store it at {@code path}, without storing it: for data
     * that leaves storage but must prove it belongs to this keyring (a snapshot's sealed checksum). Only a barrier
     * holding the same keyring term can {@link #decryptDetached} it, and only for the same path.
     */
    byte[] encryptDetached(String path, byte[] value);

    /**
     * Reverses {@link #encryptDetached}. Fails with {@link dev.coffer.CofferException.Internal} when the value was
     * made by another keyring, for another path, or was changed.
     */
    byte[] decryptDetached(String path, byte[] stored);

    /** Status of the active keyring term, as {@code sys/key-status} shows it. */
    record KeyStatus(int term, Instant installTime, long encryptions) {
    }

    /**
     * {@code sys/rotate/config}: rotate after {@code maxOperations} encryptions or {@code interval} (zero =
     * off; when set it must be at least 24h), if enabled.
     */
    record RotationConfig(long maxOperations, java.time.Duration interval, boolean enabled) {
        public static final long DEFAULT_MAX_OPERATIONS = 3_865_470_566L;

        public static RotationConfig defaults() {
            return new RotationConfig(DEFAULT_MAX_OPERATIONS, java.time.Duration.ZERO, true);
        }
    }
}
