package dev.coffer.logical.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** KV v2's {@code metadata/} paths: key settings, custom metadata, listing and removing a key entirely. */
final class KvV2Metadata {
    private static final int MAX_CUSTOM_KEYS = 64;
    private static final int MAX_CUSTOM_KEY_BYTES = 128;
    private static final int MAX_CUSTOM_VALUE_BYTES = 512;

    private final KvV2Store store;
    private final Clock clock;

    KvV2Metadata(KvV2Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    LogicalResponse read(String key) {
        KeyMetadata meta = store.metadata(key).orElseThrow(() -> new CofferException.NotFound(null));
        return LogicalResponse.ok(KvResponses.keyMetadata(meta));
    }

    /** POST creates or updates; PATCH ({@code merge}) needs an existing key and merges custom_metadata. */
    LogicalResponse write(String key, LogicalRequest req, boolean merge) {
        ObjectNode body = req.data();
        Integer maxVersions = KvParams.optionalInt(body, "max_versions");
        if (maxVersions != null && maxVersions < 0) {
            throw new CofferException.BadRequest("max_versions must be 0 (use the mount's setting) or more");
        }
        Boolean casRequired = KvParams.optionalBool(body, "cas_required");
        Long deleteAfter = KvParams.optionalDurationSeconds(body, "delete_version_after");
        Map<String, JsonNode> custom = customMetadata(body);
        return store.locked(key, () -> {
            KeyMetadata meta = merge ? store.metadata(key).orElseThrow(() -> new CofferException.NotFound(null))
                    : store.metadata(key).orElseGet(() -> KeyMetadata.fresh(clock.instant()));
            if (maxVersions != null) {
                meta.maxVersions = maxVersions;
            }
            if (casRequired != null) {
                meta.casRequired = casRequired;
            }
            if (deleteAfter != null) {
                meta.deleteVersionAfterSecs = deleteAfter;
            }
            if (custom != null) {
                applyCustom(meta, custom, merge);
            }
            meta.updatedTime = clock.instant().toString();
            store.putMetadata(key, meta);
            return LogicalResponse.noContent();
        });
    }

    /** Removes every version's data and the metadata: the key is gone as if never written. */
    LogicalResponse delete(String key) {
        return store.locked(key, () -> {
            store.metadata(key).ifPresent(meta -> {
                store.deleteMetadataAndVersions(key, meta.slotsOf(meta.versions.keySet()));
            });
            return LogicalResponse.noContent();
        });
    }

    LogicalResponse list(String prefix) {
        String p = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        List<String> keys = store.list(p);
        if (keys.isEmpty()) {
            throw new CofferException.NotFound(null);
        }
        ObjectNode data = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        keys.stream().sorted().forEach(data.putArray("keys")::add);
        return LogicalResponse.ok(data);
    }

    boolean exists(String key) {
        return store.metadata(key).isPresent();
    }

    private static void applyCustom(KeyMetadata meta, Map<String, JsonNode> custom, boolean merge) {
        Map<String, String> next = merge ? new TreeMap<>(meta.customMetadata) : new TreeMap<>();
        custom.forEach((k, v) -> {
            if (v.isNull()) {
                next.remove(k);
            } else {
                next.put(k, v.asText());
            }
        });
        if (next.size() > MAX_CUSTOM_KEYS) {
            throw new CofferException.BadRequest("custom_metadata may hold at most " + MAX_CUSTOM_KEYS + " keys; remove "
                    + "some (a null value removes a key with PATCH)");
        }
        meta.customMetadata = next;
    }

    private static Map<String, JsonNode> customMetadata(ObjectNode body) {
        JsonNode n = KvParams.field(body, "custom_metadata");
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw new CofferException.BadRequest("custom_metadata must be an object of string keys and string values");
        }
        Map<String, JsonNode> out = new TreeMap<>();
        n.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (e.getKey().isEmpty() || utf8(e.getKey()) > MAX_CUSTOM_KEY_BYTES) {
                throw new CofferException.BadRequest("custom_metadata keys must be 1 to " + MAX_CUSTOM_KEY_BYTES + " bytes");
            }
            if (!v.isNull() && (!v.isValueNode() || utf8(v.asText()) > MAX_CUSTOM_VALUE_BYTES)) {
                throw new CofferException.BadRequest("custom_metadata value of \"" + e.getKey() + "\" must be a string "
                        + "of at most " + MAX_CUSTOM_VALUE_BYTES + " bytes");
            }
            out.put(e.getKey(), v);
        });
        return out;
    }

    private static int utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
