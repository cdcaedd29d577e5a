package dev.coffer.snapshot;

import dev.coffer.CofferException;
import dev.coffer.barrier.StoragePaths;
import dev.coffer.storage.AtomicRestore;
import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.StorageWalk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces everything in a backend with a verified snapshot, streaming. A backend with {@link AtomicRestore}
 * (PostgreSQL: one transaction) takes the whole entry stream at once, and a failure leaves its old data as it was
 * ({@link RolledBack}). Any other backend gets one merge pass that deletes the keys the snapshot lacks (both
 * sides come in ascending key order) and one pass that puts every snapshot entry. Either way the caller holds
 * the storage gates, so no request of this node sees the data in between.
 *
 * <p>Crash safety (file backend): {@link StoragePaths#RESTORE_IN_PROGRESS} is written first and deleted last,
 * and the key hierarchy (keyring, root key, then the plaintext seal entries) is written after all data. A
 * process that dies part way therefore still unseals with its old keys (the old keyring is in place until the
 * very end) and warns at startup; running the same restore again completes it, because a restore is
 * idempotent.
 */
public final class SnapshotRestore {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRestore.class);
    /** Written last, in this order: data first, then what decrypts it, then what unlocks that. */
    private static final List<String> KEY_HIERARCHY = List.of(StoragePaths.ROTATION_CONFIG, StoragePaths.KEYRING,
            StoragePaths.ROOT_KEY, StoragePaths.RECOVERY_KEY, StoragePaths.BARRIER_UNSEAL_KEYS,
            StoragePaths.RECOVERY_CONFIG, StoragePaths.SEAL_CONFIG);

    private SnapshotRestore() {
    }

    /** Logs a loud warning when storage holds the marker of an interrupted restore. */
    public static void warnIfInterrupted(StorageBackend storage) {
        storage.get(StoragePaths.RESTORE_IN_PROGRESS).ifPresent(marker -> LOG.error("a snapshot restore into this"
                + " storage was interrupted ({}): the data is part old, part restored. Unseal and run the same restore"
                + " again to complete it (see docs/snapshots.md)", new String(marker, StandardCharsets.UTF_8)));
    }

    /**
     * Replaces all data in {@code storage} with {@code snapshot}.
     *
     * @throws RolledBack when an atomic backend refused or failed: nothing changed
     * @throws IOException when an entry-by-entry restore stopped part way: the data is a mix
     */
    public static void apply(StorageBackend storage, VerifiedSnapshot snapshot) throws IOException {
        if (storage instanceof AtomicRestore atomic && atomic.atomicRestoreAvailable()) {
            replaceAtomically(atomic, snapshot);
            return;
        }
        SnapshotMetadata m = snapshot.metadata();
        storage.put(StoragePaths.RESTORE_IN_PROGRESS, ("{\"created_time\":\"" + m.createdTime() + "\",\"entry_count\":"
                + m.entryCount() + "}").getBytes(StandardCharsets.UTF_8));
        deleteKeysNotIn(storage, snapshot);
        Map<String, byte[]> hierarchy = new LinkedHashMap<>();
        try (EntryRecords.Reader entries = snapshot.entries()) {
            for (EntryRecords.Entry e = entries.next(); e != null; e = entries.next()) {
                if (KEY_HIERARCHY.contains(e.key())) {
                    hierarchy.put(e.key(), e.value());
                } else {
                    storage.put(e.key(), e.value());
                }
            }
        }
        for (String key : KEY_HIERARCHY) {
            byte[] value = hierarchy.get(key);
            if (value != null) {
                storage.put(key, value);
            } else {
                storage.delete(key);
            }
        }
        storage.delete(StoragePaths.RESTORE_IN_PROGRESS);
    }

    private static void replaceAtomically(AtomicRestore storage, VerifiedSnapshot snapshot) throws RolledBack {
        try (EntryRecords.Reader entries = snapshot.entries()) {
            storage.replaceAll(() -> {
                for (EntryRecords.Entry e = entries.next(); e != null; e = entries.next()) {
                    // a snapshot taken while an entry-by-entry restore ran may hold its marker: never restore it
                    if (!e.key().equals(StoragePaths.RESTORE_IN_PROGRESS)) {
                        return new AtomicRestore.Entry(e.key(), e.value());
                    }
                }
                return null;
            });
        } catch (IOException | RuntimeException e) {
            throw new RolledBack(e);
        }
    }

    /**
     * An all-or-nothing restore failed and was rolled back: the storage, and therefore this node's keyring and
     * mounts, are exactly as before, so the node stays unsealed.
     */
    public static final class RolledBack extends IOException {
        RolledBack(Exception cause) {
            super(cause.getMessage(), cause);
        }

        /** What the client sees: the cause's kind (bad archive, storage failure) and that nothing changed. */
        public CofferException toCofferException() {
            String message = "the snapshot restore was rolled back, nothing was changed (" + getMessage()
                    + "); the data, keyring and mounts are as before";
            return getCause() instanceof CofferException.BadRequest
                    ? new CofferException.BadRequest(message + "; use another snapshot")
                    : new CofferException.StorageFailure(message + "; fix the cause and run the restore again", getCause());
        }
    }

    /** Merge of the stored keys (walked in ascending order) against the snapshot's (ascending too). */
    private static void deleteKeysNotIn(StorageBackend storage, VerifiedSnapshot snapshot) throws IOException {
        try (EntryRecords.Reader entries = snapshot.entries()) {
            EntryRecords.Entry[] next = {entries.next()};
            StorageWalk.walk(storage, (key, value) -> {
                while (next[0] != null && next[0].key().compareTo(key) < 0) {
                    next[0] = entries.next();
                }
                boolean kept = next[0] != null && next[0].key().equals(key);
                if (!kept && !key.equals(StoragePaths.RESTORE_IN_PROGRESS) && !KEY_HIERARCHY.contains(key)) {
                    storage.delete(key);
                }
            });
        }
    }
}
