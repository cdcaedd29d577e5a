package dev.coffer.barrier;

import java.util.Set;

/**
 * Storage paths with a fixed meaning, beside the barrier because most of them hold the key hierarchy:
 * seal -> root key -> keyring -> data.
 */
public final class StoragePaths {

    /**
     * Seal type, shares and threshold. Plaintext, because a sealed node must know how many unseal keys to ask
     * for (and which seal to use) before anything can be decrypted.
     */
    public static final String SEAL_CONFIG = "core/seal-config";

    /** Recovery-key shares and threshold in auto-unseal mode; plaintext for the same reason as the seal config. */
    public static final String RECOVERY_CONFIG = "core/recovery-config";

    /**
     * The root key wrapped by the seal (Shamir-combined key or KMS), as a {@code BlobCodec} blob. Not
     * barrier-encrypted: it is the entry that unlocks the barrier, so it must be readable while sealed.
     */
    public static final String BARRIER_UNSEAL_KEYS = "core/hsm/barrier-unseal-keys";

    /**
     * The keyring, encrypted by the root key in the barrier format with term 0 and this path as associated
     * data. Every other barrier value is encrypted by one of its terms.
     */
    public static final String KEYRING = "core/keyring";

    /**
     * The root key re-encrypted under the newest keyring term. A standby holding an older keyring can read it
     * with a term it already has, so it follows rotations and rekeys of the root key without being unsealed
     * again.
     */
    public static final String ROOT_KEY = "core/root-key";

    /** The recovery key wrapped by the seal (auto-unseal mode); readable while sealed, like the unseal keys. */
    public static final String RECOVERY_KEY = "core/recovery-key";

    /**
     * Automatic keyring rotation settings ({@code sys/rotate/config}), barrier-encrypted JSON, so every node
     * applies the same limits after it becomes active.
     */
    public static final String ROTATION_CONFIG = "core/keyring-rotation";

    /**
     * Never stored: the associated data under which a snapshot's {@code SHA256SUMS} is encrypted, so the sealed
     * checksum of a snapshot cannot be passed off as any stored value, nor a stored value as a sealed checksum.
     */
    public static final String SNAPSHOT_SUMS = "core/snapshot-sums";

    /**
     * Plaintext marker a restore writes before it changes any entry and deletes after the last one; found at
     * startup it means a restore was interrupted (see docs/snapshots.md). Never part of a snapshot.
     */
    public static final String RESTORE_IN_PROGRESS = "core/restore-in-progress";

    /** Entries written straight to storage without the barrier, because they are needed while sealed. */
    public static final Set<String> PLAINTEXT = Set.of(SEAL_CONFIG, RECOVERY_CONFIG, BARRIER_UNSEAL_KEYS, RECOVERY_KEY);

    /**
     * Entries that callers may not write or delete through the barrier's data methods: the plaintext ones
     * (an encrypted copy would lock out a sealed node) and the ones the barrier manages itself (overwriting
     * them would destroy the keyring or bypass rotation-config validation).
     */
    public static final Set<String> RESERVED = Set.of(SEAL_CONFIG, RECOVERY_CONFIG, BARRIER_UNSEAL_KEYS, RECOVERY_KEY,
            KEYRING, ROOT_KEY, ROTATION_CONFIG, SNAPSHOT_SUMS, RESTORE_IN_PROGRESS);

    private StoragePaths() {
    }
}
