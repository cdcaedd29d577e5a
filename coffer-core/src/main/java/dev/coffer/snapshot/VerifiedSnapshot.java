package dev.coffer.snapshot;

import dev.coffer.CofferException;
import dev.coffer.barrier.SecurityBarrier;
import dev.coffer.barrier.StoragePaths;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * An archive that passed every keyless check ({@link SnapshotReader}); its entries wait in a temp file that
 * {@link #close()} deletes. Whether it belongs to this vault is {@link #sealedBy}.
 */
public final class VerifiedSnapshot implements AutoCloseable {
    private final SnapshotMetadata metadata;
    private final byte[] sums;
    private final byte[] sealedSums;
    private final Path entriesFile;

    VerifiedSnapshot(SnapshotMetadata metadata, byte[] sums, byte[] sealedSums, Path entriesFile) {
        this.metadata = metadata;
        this.sums = sums;
        this.sealedSums = sealedSums;
        this.entriesFile = entriesFile;
    }

    public SnapshotMetadata metadata() {
        return metadata;
    }

    /**
     * True when this vault's keyring opens {@code SHA256SUMS.sealed} and it equals {@code SHA256SUMS}: the snapshot
     * was taken from this vault (same keyring, so the same root key and unseal keys or KMS key).
     */
    public boolean sealedBy(SecurityBarrier barrier) {
        byte[] opened;
        try {
            opened = barrier.decryptDetached(StoragePaths.SNAPSHOT_SUMS, sealedSums);
        } catch (CofferException.Internal e) {
            return false;
        }
        return MessageDigest.isEqual(opened, sums);
    }

    /** The entries, in ascending key order; the caller closes the reader. */
    EntryRecords.Reader entries() throws IOException {
        return new EntryRecords.Reader(entriesFile);
    }

    @Override
    public void close() {
        TempFiles.deleteQuietly(entriesFile);
    }
}
