package dev.coffer.snapshot;

import dev.coffer.logical.StreamingBody;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A snapshot whose point-in-time view is taken and checksummed, ready to be written as the archive. The
 * {@code entries} member waits in an owner-only temp file because a tar header needs the member's size before
 * its bytes; memory stays flat whatever the data size. {@link #close()} deletes the temp file.
 */
public final class PreparedSnapshot implements StreamingBody {
    private final SnapshotMetadata metadata;
    private final byte[] metadataJson;
    private final Path entriesFile;
    private final byte[] sums;
    private final byte[] sealedSums;

    PreparedSnapshot(SnapshotMetadata metadata, Path entriesFile, byte[] sums, byte[] sealedSums) {
        this.metadata = metadata;
        this.metadataJson = metadata.toJson();
        this.entriesFile = entriesFile;
        this.sums = sums;
        this.sealedSums = sealedSums;
    }

    public SnapshotMetadata metadata() {
        return metadata;
    }

    byte[] metadataJson() {
        return metadataJson.clone();
    }

    @Override
    public String contentType() {
        return SnapshotFormat.CONTENT_TYPE;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        // stored (level 0) deflate blocks: the values are barrier ciphertext, which does not compress, and
        // compressing the keys and tar headers cost the save most of its throughput (bench/README.md); the file
        // stays a valid gzip'd tar that any tool reads
        GZIPOutputStream gzip = new GZIPOutputStream(nonClosing(out), 64 * 1024) {
            {
                def.setLevel(Deflater.NO_COMPRESSION);
            }
        };
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            addSmall(tar, SnapshotFormat.METADATA, metadataJson);
            TarArchiveEntry entries = member(SnapshotFormat.ENTRIES, Files.size(entriesFile));
            tar.putArchiveEntry(entries);
            Files.copy(entriesFile, tar);
            tar.closeArchiveEntry();
            addSmall(tar, SnapshotFormat.SUMS, sums);
            addSmall(tar, SnapshotFormat.SEALED_SUMS, sealedSums);
            tar.finish();
        }
        out.flush();
    }

    /** Writes the archive to {@code file} (created or replaced); for the CLI-less callers such as a scheduler. */
    public void writeTo(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeTo(out);
        }
    }

    private void addSmall(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        tar.putArchiveEntry(member(name, data.length));
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private TarArchiveEntry member(String name, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setMode(0600);
        e.setModTime(java.time.Instant.parse(metadata.createdTime()).toEpochMilli());
        return e;
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    @Override
    public void close() {
        TempFiles.deleteQuietly(entriesFile);
    }
}
