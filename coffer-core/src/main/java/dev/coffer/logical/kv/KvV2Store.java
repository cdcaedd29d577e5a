package dev.coffer.logical.kv;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.coffer.CofferException;
import dev.coffer.barrier.BarrierView;
import dev.coffer.storage.StorageBackend;
import dev.coffer.util.ParseMemo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * KV v2's storage inside the mount's barrier view:
 * <pre>
 *   config                   mount settings (KvConfig)
 *   metadata/&lt;key&gt;           key settings and the state of every kept version (KeyMetadata)
 *   versions/&lt;key&gt;/&lt;slot&gt;    the data of the version kept in that slot
 * </pre>
 * A version's data lives in a <em>slot</em> its metadata names ({@link VersionMeta#slotOf}). On a backend that applies
 * a batch all or nothing ({@link #atomicBatches}: PostgreSQL, in-memory) a new version that trims the oldest one takes
 * over the trimmed version's slot (ADR 0020), so a steady stream of writes to a key overwrites the same
 * {@code max_versions} storage entries instead of inserting one and deleting another per write (on PostgreSQL an
 * update of an existing row with an unchanged key, which it can do as a heap-only-tuple update and clean up without
 * VACUUM; insert-plus-delete left a dead row and index entry per write and grew the table until the next VACUUM).
 * A version entry starts with {@link #VERSION_TAG} and the version's number, then its JSON: a reader that read the
 * metadata just before a write reused the slot finds another number there and reads "no data", as it would have
 * found the trimmed entry gone. Entries written before slots start with the JSON itself ({@code '{'}) and sit in
 * their version's own slot.
 *
 * <p>The metadata tree mirrors the key names so LIST is one storage list. A new version, the metadata that names
 * it and the deletes of versions trimmed by it go down as one storage batch ({@link BarrierView#writeAll}): on
 * PostgreSQL one statement and one commit, all or nothing. On a backend that applies a batch entry by entry the
 * order still protects readers: the version is written before the metadata that names it, so a reader never
 * finds metadata pointing at missing data (except after a destroy or trim, which read as "no data").
 */
final class KvV2Store {
    static final String CONFIG = "config";
    static final String METADATA = "metadata/";
    static final String VERSIONS = "versions/";
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION) // parse errors must not quote secret data
            .build();

    private final BarrierView view;
    /** Keys whose metadata a mount remembers (see {@link #known}). */
    static final int KNOWN_METADATA = 1024;

    private final StripedLocks locks = new StripedLocks(256);
    /**
     * The metadata this mount last parsed or wrote, by key, with the exact JSON bytes it stands for. Every read and
     * write parses the key's metadata (over 1 KB with 10 versions kept), which cost as much as decrypting it; the
     * metadata is still read and decrypted every time, and only the parse of unchanged bytes is skipped. Callers
     * get copies: the remembered metadata is never handed out.
     */
    final ParseMemo<KeyMetadata> known = ParseMemo.copying(KNOWN_METADATA, KeyMetadata::copy);
    private volatile KvConfig config;

    KvV2Store(BarrierView view) {
        this.view = view;
    }

    /** Whether the storage applies a batch all or nothing (slots are reused only then: see the class comment). */
    boolean atomicBatches() {
        return view.atomicBatches();
    }

    /** Runs {@code work} holding the key's write lock; readers never take it. */
    <T> T locked(String key, Supplier<T> work) {
        return locks.withLock(key, work);
    }

    KvConfig config() {
        KvConfig c = config;
        if (c == null) {
            c = view.get(CONFIG).map(b -> read(b, KvConfig.class, CONFIG)).orElse(KvConfig.DEFAULTS);
            config = c;
        }
        return c;
    }

    synchronized void putConfig(KvConfig c) {
        view.put(CONFIG, write(c));
        config = c;
    }

    /** The key's metadata as stored now; a fresh object the caller may change (see {@link #known}). */
    Optional<KeyMetadata> metadata(String key) {
        return view.get(METADATA + key).map(b -> known.parse(key, b, json -> readMetadata(json, key)));
    }

    /**
     * Whether the key has a current version (the CREATE/UPDATE check before a write). Reads only the start of the
     * metadata when it is in the written shape; the write parses all of it again under the key's lock.
     */
    boolean hasCurrentVersion(String key) {
        return view.get(METADATA + key).map(b -> {
            Integer remembered = known.read(key, b, m -> m.currentVersion);
            int fast = remembered == null ? -1 : remembered;
            try {
                fast = fast >= 0 ? fast : KeyMetadataJson.currentVersion(b);
            } catch (IOException | RuntimeException e) {
                fast = -1;
            }
            return (fast >= 0 ? fast : readMetadata(b, key).currentVersion) > 0;
        }).orElse(false);
    }

    void putMetadata(String key, KeyMetadata m) {
        byte[] json = write(m);
        view.put(METADATA + key, json);
        known.remember(key, json, m);
    }

    /** Deletes the metadata, then the data in the given slots, in one batch (the key reads as gone at once). */
    void deleteMetadataAndVersions(String key, List<Integer> slots) {
        List<StorageBackend.Write> batch = new ArrayList<>(1 + slots.size());
        batch.add(StorageBackend.Write.delete(METADATA + key));
        slots.forEach(v -> batch.add(StorageBackend.Write.delete(versionKey(key, v))));
        known.forget(key);
        view.writeAll(batch);
    }

    /**
     * The data of version {@code n} (described by {@code v}), or empty when its slot is empty or already holds a
     * later version (the slot was reused since the caller read the metadata).
     */
    Optional<JsonNode> version(String key, int n, VersionMeta v) {
        return view.get(versionKey(key, v.slotOf(n))).flatMap(b -> decodeVersion(b, n));
    }

    /**
     * Stores version {@code n} in {@code slot} and the metadata naming it, and deletes the {@code freed} slots, in
     * one batch.
     */
    void putVersionAndMetadata(String key, int n, int slot, JsonNode data, KeyMetadata m, List<Integer> freed) {
        List<StorageBackend.Write> batch = new ArrayList<>(2 + freed.size());
        byte[] json = write(m);
        batch.add(StorageBackend.Write.put(versionKey(key, slot), encodeVersion(n, data)));
        batch.add(StorageBackend.Write.put(METADATA + key, json));
        freed.forEach(s -> batch.add(StorageBackend.Write.delete(versionKey(key, s))));
        view.writeAll(batch);
        known.remember(key, json, m);
    }

    /** Stores the metadata, then deletes the data in the given slots, in one batch (metadata first, see destroy). */
    void putMetadataAndDeleteVersions(String key, KeyMetadata m, List<Integer> slots) {
        List<StorageBackend.Write> batch = new ArrayList<>(1 + slots.size());
        byte[] json = write(m);
        batch.add(StorageBackend.Write.put(METADATA + key, json));
        slots.forEach(s -> batch.add(StorageBackend.Write.delete(versionKey(key, s))));
        view.writeAll(batch);
        known.remember(key, json, m);
    }

    /** The first byte of a version entry written with its number; JSON (the older entries) never starts with it. */
    static final byte VERSION_TAG = 1;

    /** {@link #VERSION_TAG}, the version's number (4 bytes, big-endian), then the data's JSON. */
    static byte[] encodeVersion(int n, JsonNode data) {
        byte[] json = write(data);
        byte[] out = new byte[5 + json.length];
        out[0] = VERSION_TAG;
        out[1] = (byte) (n >>> 24);
        out[2] = (byte) (n >>> 16);
        out[3] = (byte) (n >>> 8);
        out[4] = (byte) n;
        System.arraycopy(json, 0, out, 5, json.length);
        return out;
    }

    /** The data of a version entry if it holds version {@code n}; entries without a number are taken as it. */
    static Optional<JsonNode> decodeVersion(byte[] entry, int n) {
        if (entry.length == 0 || entry[0] != VERSION_TAG) {
            return Optional.of(read(entry, 0, entry.length, JsonNode.class, "a version of a key"));
        }
        if (entry.length < 5) {
            throw corrupt("a version of a key", null);
        }
        int stored = (entry[1] & 0xff) << 24 | (entry[2] & 0xff) << 16 | (entry[3] & 0xff) << 8 | (entry[4] & 0xff);
        return stored == n ? Optional.of(read(entry, 5, entry.length - 5, JsonNode.class, "a version of a key"))
                : Optional.empty();
    }

    private static String versionKey(String key, int n) {
        return VERSIONS + key + "/" + n;
    }

    /** Key names directly under {@code prefix} (empty or ending in '/'); folders end with '/'. */
    List<String> list(String prefix) {
        return view.list(METADATA + prefix);
    }

    private static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** The streaming reader's result when the bytes are in its shape, else the object mapper's (or its error). */
    static KeyMetadata readMetadata(byte[] bytes, String key) {
        try {
            KeyMetadata fast = KeyMetadataJson.read(bytes);
            if (fast != null) {
                return fast;
            }
        } catch (IOException | RuntimeException e) {
            // not in the written shape: the object mapper below decides, and reports, as it always did
        }
        return read(bytes, KeyMetadata.class, METADATA + key);
    }

    private static <T> T read(byte[] bytes, Class<T> type, String what) {
        return read(bytes, 0, bytes.length, type, what);
    }

    private static <T> T read(byte[] bytes, int offset, int length, Class<T> type, String what) {
        try {
            return MAPPER.readValue(bytes, offset, length, type);
        } catch (IOException e) {
            throw corrupt(what, e);
        }
    }

    private static CofferException corrupt(String what, IOException cause) {
        // never include the bytes: they may be secret data
        return new CofferException.Internal("the KV entry " + what + " in storage is not valid JSON; the storage may "
                + "be corrupt or written by an incompatible version", cause);
    }
}
