package dev.coffer.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.barrier.StoragePaths;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The {@code entries} member is parsed while it is spooled: archives whose checksums are right but whose records
 * are not (as a buggy or hostile writer could make) are refused with the record problem, and a flipped byte is
 * still reported as a checksum mismatch.
 */
class SnapshotEntriesCheckTest {
    private static final List<String> VAULT = List.of(StoragePaths.BARRIER_UNSEAL_KEYS, StoragePaths.KEYRING,
            StoragePaths.SEAL_CONFIG);

    private static byte[] records(List<String> keys) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (String key : keys) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            out.writeInt(k.length);
            out.write(k);
            out.writeInt(3);
            out.write(new byte[] {1, 2, 3});
        }
        return bytes.toByteArray();
    }

    private static byte[] archive(byte[] entries, long count, boolean flipAfterSums) throws IOException {
        byte[] metadata = new SnapshotMetadata(1, "test", "inmem", "2026-11-29T00:00:00Z", count, 1, "id").toJson();
        byte[] sums = Sha256.sumsFile(Map.of(SnapshotFormat.METADATA, Sha256.hex(metadata),
                SnapshotFormat.ENTRIES, Sha256.hex(entries)));
        byte[] stored = flipAfterSums ? entries.clone() : entries;
        if (flipAfterSums) {
            stored[stored.length / 2] ^= 0x40;
        }
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put(SnapshotFormat.METADATA, metadata);
        members.put(SnapshotFormat.ENTRIES, stored);
        members.put(SnapshotFormat.SUMS, sums);
        members.put(SnapshotFormat.SEALED_SUMS, new byte[] {9, 9, 9});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                e.setSize(m.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(m.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static SnapshotMetadata inspect(byte[] archive) {
        return SnapshotReader.inspect(new ByteArrayInputStream(archive));
    }

    @Test
    void wellFormedRecords_pass() throws IOException {
        assertThat(inspect(archive(records(VAULT), 3, false)).entryCount()).isEqualTo(3);
    }

    @Test
    void aCountOtherThanTheMetadatas_isRefused() throws IOException {
        assertThatThrownBy(() -> inspect(archive(records(VAULT), 4, false)))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("holds 3 entries but the metadata says 4");
    }

    @Test
    void keysOutOfOrder_areRefused() throws IOException {
        List<String> keys = List.of(StoragePaths.KEYRING, StoragePaths.BARRIER_UNSEAL_KEYS, StoragePaths.SEAL_CONFIG);
        assertThatThrownBy(() -> inspect(archive(records(keys), 3, false)))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("strictly ascending");
    }

    @Test
    void aRecordCutShort_isRefused() throws IOException {
        byte[] whole = records(VAULT);
        assertThatThrownBy(() -> inspect(archive(Arrays.copyOf(whole, whole.length - 2), 3, false)))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("ends inside a record");
    }

    @Test
    void anArchiveWithoutAKeyring_isRefused() throws IOException {
        List<String> keys = List.of(StoragePaths.BARRIER_UNSEAL_KEYS, StoragePaths.SEAL_CONFIG);
        assertThatThrownBy(() -> inspect(archive(records(keys), 2, false)))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("lacks " + StoragePaths.KEYRING);
    }

    @Test
    void aFlippedByteInsideTheRecords_isReportedAsAChecksumMismatch() throws IOException {
        assertThatThrownBy(() -> inspect(archive(records(VAULT), 3, true)))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("SHA-256 of 'entries' does not match");
    }
}
