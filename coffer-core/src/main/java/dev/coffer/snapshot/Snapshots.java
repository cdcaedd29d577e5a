package dev.coffer.snapshot;

import dev.coffer.CofferException;
import dev.coffer.core.Core;
import java.io.IOException;
import java.io.InputStream;

/**
 * Save and restore as the API (and later a scheduler) use them: {@link #save} gives a ready archive to stream
 * or write to a file; {@link #restore} verifies a whole archive before it touches storage.
 */
public final class Snapshots {

    private Snapshots() {
    }

    /** The outcome of a restore: what was restored and whether this node is now sealed. */
    public record Restored(SnapshotMetadata metadata, boolean sealed) {
    }

    /** A point-in-time snapshot ready to be written; close it when done. */
    public static PreparedSnapshot save(Core core) {
        try {
            return core.saveSnapshot();
        } catch (IOException e) {
            throw new CofferException.Internal("could not write the snapshot to a temp file in "
                    + System.getProperty("java.io.tmpdir") + " (" + e.getMessage() + "): check free space there", e);
        }
    }

    /**
     * Verifies the archive read from {@code in} completely (framing, checksums, metadata, entries, and unless
     * {@code force} that this vault's keyring opens its sealed checksum), then replaces all data with it.
     */
    public static Restored restore(Core core, InputStream in, boolean force) {
        try (VerifiedSnapshot snapshot = SnapshotReader.read(in)) {
            boolean sameVault = snapshot.sealedBy(core.barrier());
            if (!sameVault && !force) {
                throw new CofferException.BadRequest(foreignMessage(snapshot.metadata()));
            }
            core.restoreSnapshot(snapshot, sameVault);
            return new Restored(snapshot.metadata(), !sameVault);
        } catch (SnapshotRestore.RolledBack e) {
            throw e.toCofferException();
        } catch (IOException e) {
            throw new CofferException.StorageFailure("the restore stopped part way (" + e.getMessage() + "); this node"
                    + " is sealed. Unseal it and run the same restore again to complete it", e);
        }
    }

    static String foreignMessage(SnapshotMetadata m) {
        return "snapshot refused: it was not taken from this vault (its sealed checksum does not open with this"
                + " vault's keyring; snapshot cluster id " + m.clusterId() + ", taken " + m.createdTime() + "). To"
                + " restore it anyway use -force (POST sys/storage/raft/snapshot-force): all data here is replaced,"
                + " this node seals at once, and it can only be unsealed with the unseal keys (or KMS key) of the vault"
                + " the snapshot came from";
    }
}
