package dev.coffer.snapshot;

import dev.coffer.barrier.SecurityBarrier;
import dev.coffer.barrier.StoragePaths;
import dev.coffer.core.Version;
import dev.coffer.storage.ConsistentSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Takes a snapshot: one consistent pass over storage into a temp file, then checksums and the sealed checksum. */
public final class SnapshotWriter {

    /** What the metadata says about the source. */
    public record Source(String storageType, String clusterId, int keyringTerm, Instant now) {
    }

    private SnapshotWriter() {
    }

    public static PreparedSnapshot prepare(ConsistentSnapshot storage, SecurityBarrier barrier, Source source)
            throws IOException {
        Path entriesFile = TempFiles.create("entries");
        try {
            MessageDigest sha = Sha256.digest();
            long count;
            try (OutputStream file = Files.newOutputStream(entriesFile);
                 EntryRecords.Writer writer = new EntryRecords.Writer(new DigestOutputStream(file, sha))) {
                storage.snapshot((key, value) -> {
                    if (!key.equals(StoragePaths.RESTORE_IN_PROGRESS)) {
                        writer.write(key, value);
                    }
                });
                count = writer.count();
            }
            SnapshotMetadata metadata = new SnapshotMetadata(SnapshotFormat.FORMAT_VERSION, Version.VERSION,
                    source.storageType(), source.now().toString(), count, source.keyringTerm(), source.clusterId());
            Map<String, String> hexByName = new LinkedHashMap<>();
            hexByName.put(SnapshotFormat.METADATA, Sha256.hex(metadata.toJson()));
            hexByName.put(SnapshotFormat.ENTRIES, HexFormat.of().formatHex(sha.digest()));
            byte[] sums = Sha256.sumsFile(hexByName);
            byte[] sealed = barrier.encryptDetached(StoragePaths.SNAPSHOT_SUMS, sums);
            return new PreparedSnapshot(metadata, entriesFile, sums, sealed);
        } catch (IOException | RuntimeException e) {
            TempFiles.deleteQuietly(entriesFile);
            throw e;
        }
    }
}
