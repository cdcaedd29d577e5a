package dev.coffer.snapshot;

import dev.coffer.CofferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an archive from a stream and verifies everything that can be verified without keys: the gzip and tar
 * framing, the exact member set, both checksums, the metadata and every entry record. The {@code entries}
 * member is spooled to an owner-only temp file so it can be applied after the checks; nothing is held in
 * memory but the small members. Every failure is a {@link CofferException.BadRequest} saying what is wrong.
 */
public final class SnapshotReader {

    private SnapshotReader() {
    }

    /**
     * Checks an archive without restoring it (everything but the sealed checksum, which only the vault that
     * wrote it can open) and returns its metadata; temp files are gone when it returns.
     */
    public static SnapshotMetadata inspect(InputStream in) {
        try (VerifiedSnapshot snapshot = read(in)) {
            return snapshot.metadata();
        }
    }

    public static VerifiedSnapshot read(InputStream in) {
        Path entriesFile = null;
        try {
            entriesFile = TempFiles.create("restore");
            Map<String, byte[]> small = new HashMap<>();
            Spooled entries = readArchive(in, entriesFile, small);
            VerifiedSnapshot snapshot = verify(small, entries, entriesFile);
            entriesFile = null; // owned by the snapshot now
            return snapshot;
        } catch (IOException e) {
            throw new CofferException.BadRequest("the snapshot is not a complete gzip'd tar archive (" + e.getMessage()
                    + "): it was truncated or damaged; copy it again or use another snapshot", e);
        } finally {
            TempFiles.deleteQuietly(entriesFile);
        }
    }

    /** The {@code entries} member as spooled: its hex SHA-256 and what parsing its records found. */
    private record Spooled(String sha256Hex, EntryScan.Tally tally) {
    }

    /** Reads every member; {@code entries} goes straight to {@code entriesFile}, parsed on the way. */
    private static Spooled readArchive(InputStream in, Path entriesFile, Map<String, byte[]> small) throws IOException {
        GZIPInputStream gzip = new GZIPInputStream(in, 64 * 1024);
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip);
        Spooled entries = null;
        for (TarArchiveEntry member = tar.getNextEntry(); member != null; member = tar.getNextEntry()) {
            String name = member.getName();
            if (!SnapshotFormat.MEMBERS.contains(name) || !member.isFile()) {
                throw refused("it holds an unexpected member '" + printable(name) + "' (expected exactly "
                        + String.join(", ", SnapshotFormat.MEMBERS) + ")");
            }
            if (small.containsKey(name) || (name.equals(SnapshotFormat.ENTRIES) && entries != null)) {
                throw refused("the member '" + name + "' appears twice");
            }
            if (name.equals(SnapshotFormat.ENTRIES)) {
                entries = spool(tar, entriesFile);
            } else {
                small.put(name, readSmall(tar, name));
            }
        }
        gzip.transferTo(OutputStream.nullOutputStream()); // reach the gzip trailer, so its CRC is checked too
        for (String name : SnapshotFormat.MEMBERS) {
            if (!small.containsKey(name) && !(name.equals(SnapshotFormat.ENTRIES) && entries != null)) {
                throw refused("the member '" + name + "' is missing");
            }
        }
        return entries;
    }

    private static Spooled spool(InputStream member, Path file) throws IOException {
        MessageDigest sha = Sha256.digest();
        EntryScan.Tally tally;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
            tally = EntryScan.spool(member, out);
        }
        return new Spooled(HexFormat.of().formatHex(sha.digest()), tally);
    }

    private static byte[] readSmall(InputStream member, String name) throws IOException {
        byte[] data = member.readNBytes(SnapshotFormat.MAX_SMALL_MEMBER + 1);
        if (data.length > SnapshotFormat.MAX_SMALL_MEMBER) {
            throw refused("the member '" + name + "' is larger than " + SnapshotFormat.MAX_SMALL_MEMBER + " bytes");
        }
        return data;
    }

    private static VerifiedSnapshot verify(Map<String, byte[]> small, Spooled entries, Path entriesFile)
            throws IOException {
        byte[] sums = small.get(SnapshotFormat.SUMS);
        Map<String, String> expected = Sha256.parseSums(sums);
        if (expected == null || !expected.keySet().equals(java.util.Set.of(SnapshotFormat.METADATA, SnapshotFormat.ENTRIES))) {
            throw refused(SnapshotFormat.SUMS + " is not a checksum list for " + SnapshotFormat.METADATA + " and "
                    + SnapshotFormat.ENTRIES);
        }
        byte[] metadataJson = small.get(SnapshotFormat.METADATA);
        checkSum(expected, SnapshotFormat.METADATA, Sha256.hex(metadataJson));
        checkSum(expected, SnapshotFormat.ENTRIES, entries.sha256Hex());
        SnapshotMetadata metadata = SnapshotMetadata.fromJson(metadataJson);
        entries.tally().check(metadata.entryCount());
        return new VerifiedSnapshot(metadata, sums, small.get(SnapshotFormat.SEALED_SUMS), entriesFile);
    }

    private static void checkSum(Map<String, String> expected, String name, String actual) {
        if (!expected.get(name).equals(actual)) {
            throw refused("the SHA-256 of '" + name + "' does not match " + SnapshotFormat.SUMS
                    + ": the archive was changed or damaged after it was written");
        }
    }

    private static String printable(String name) {
        String cut = name.length() > 100 ? name.substring(0, 100) + "..." : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    static CofferException.BadRequest refused(String why) {
        return new CofferException.BadRequest("snapshot refused: " + why + "; use an unmodified snapshot written by"
                + " `coffer operator raft snapshot save`");
    }
}
