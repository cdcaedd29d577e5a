package dev.coffer.snapshot;

import java.util.List;

/**
 * The archive layout, format version 1: a gzip'd tar holding exactly these members, in this order.
 *
 * <ul>
 *   <li>{@code metadata.json}: {@link SnapshotMetadata}.</li>
 *   <li>{@code entries}: the storage entries as stored (barrier ciphertext; the few plaintext seal entries as
 *       they are), each {@code [u32 key length][key UTF-8][u32 value length][value]}, keys strictly ascending.</li>
 *   <li>{@code SHA256SUMS}: {@code <hex sha256>  <member>} lines for {@code metadata.json} and {@code entries}.</li>
 *   <li>{@code SHA256SUMS.sealed}: {@code SHA256SUMS} encrypted by the barrier under
 *       {@link dev.coffer.barrier.StoragePaths#SNAPSHOT_SUMS}; only a vault holding the same keyring opens it.</li>
 * </ul>
 */
public final class SnapshotFormat {
    public static final int FORMAT_VERSION = 1;
    public static final String METADATA = "metadata.json";
    public static final String ENTRIES = "entries";
    public static final String SUMS = "SHA256SUMS";
    public static final String SEALED_SUMS = "SHA256SUMS.sealed";
    public static final List<String> MEMBERS = List.of(METADATA, ENTRIES, SUMS, SEALED_SUMS);
    public static final String CONTENT_TYPE = "application/gzip";

    /** Limits that keep a hostile archive from exhausting memory; real values are far smaller. */
    static final int MAX_SMALL_MEMBER = 64 * 1024;
    static final int MAX_KEY_BYTES = 64 * 1024;
    static final int MAX_VALUE_BYTES = 256 * 1024 * 1024;

    private SnapshotFormat() {
    }
}
