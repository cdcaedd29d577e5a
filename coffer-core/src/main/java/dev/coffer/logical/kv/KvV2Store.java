package dev.coffer.logical.kv;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.coffer.CofferException;
import dev.coffer.barrier.BarrierView;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * KV v2's storage inside the mount's barrier view:
 * <pre>
 *   config                   mount settings (KvConfig)
 *   metadata/&lt;key&gt;           key settings and the state of every kept version (KeyMetadata)
 *   versions/&lt;key&gt;/&lt;n&gt;       the data of version n, a JSON object
 * </pre>
 * The metadata tree mirrors the key names so LIST is one storage list. A version is written before the
 * metadata that names it, so a reader never finds metadata pointing at missing data (except after a destroy
 * or trim, which read as "no data").
 */
final class KvV2Store {
    static final String CONFIG = "config";
    static final String METADATA = "metadata/";
    static final String VERSIONS = "versions/";
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION) // parse errors must not quote secret data
            .build();

    private final BarrierView view;
    private final StripedLocks locks = new StripedLocks(256);
    private volatile KvConfig config;

    KvV2Store(BarrierView view) {
        this.view = view;
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

    Optional<KeyMetadata> metadata(String key) {
        return view.get(METADATA + key).map(b -> read(b, KeyMetadata.class, METADATA + key));
    }

    void putMetadata(String key, KeyMetadata m) {
        view.put(METADATA + key, write(m));
    }

    void deleteMetadata(String key) {
        view.delete(METADATA + key);
    }

    Optional<JsonNode> version(String key, int n) {
        return view.get(VERSIONS + key + "/" + n).map(b -> read(b, JsonNode.class, "a version of a key"));
    }

    void putVersion(String key, int n, JsonNode data) {
        view.put(VERSIONS + key + "/" + n, write(data));
    }

    void deleteVersion(String key, int n) {
        view.delete(VERSIONS + key + "/" + n);
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

    private static <T> T read(byte[] bytes, Class<T> type, String what) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            // never include the bytes: they may be secret data
            throw new CofferException.Internal("the KV entry " + what + " in storage is not valid JSON; the storage may "
                    + "be corrupt or written by an incompatible version", e);
        }
    }
}
