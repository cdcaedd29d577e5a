package dev.coffer.snapshot;

import dev.coffer.barrier.StoragePaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Walks a spooled {@code entries} member once before anything is restored: every record must parse, the
 * count must match the metadata, and the entries that make a vault (seal configuration, wrapped root key,
 * keyring) must be there, so a restore never leaves a server it cannot unseal.
 */
final class EntryScan {
    private static final Set<String> REQUIRED = Set.of(StoragePaths.SEAL_CONFIG, StoragePaths.BARRIER_UNSEAL_KEYS,
            StoragePaths.KEYRING);

    private EntryScan() {
    }

    static void check(Path entriesFile, long expectedCount) throws IOException {
        Set<String> missing = new HashSet<>(REQUIRED);
        long count = 0;
        try (EntryRecords.Reader reader = new EntryRecords.Reader(entriesFile)) {
            for (EntryRecords.Entry e = reader.next(); e != null; e = reader.next()) {
                missing.remove(e.key());
                count++;
            }
        }
        if (count != expectedCount) {
            throw EntryRecords.damaged("it holds " + count + " entries but the metadata says " + expectedCount);
        }
        if (!missing.isEmpty()) {
            throw SnapshotReader.refused("it lacks " + String.join(", ", missing.stream().sorted().toList())
                    + ", so it is not a snapshot of an initialized vault");
        }
    }
}
