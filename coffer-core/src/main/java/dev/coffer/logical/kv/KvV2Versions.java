package dev.coffer.logical.kv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** KV v2's {@code delete/}, {@code undelete/} and {@code destroy/} paths: changing the state of given versions. */
final class KvV2Versions {
    private final KvV2Store store;
    private final Clock clock;

    KvV2Versions(KvV2Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    LogicalResponse delete(String key, LogicalRequest req) {
        List<Integer> versions = versions(req);
        return change(key, meta -> markDeleted(meta, versions, clock.instant()));
    }

    LogicalResponse undelete(String key, LogicalRequest req) {
        List<Integer> versions = versions(req);
        return change(key, meta -> {
            for (int n : versions) {
                VersionMeta v = meta.versions.get(n);
                if (v != null && !v.destroyed()) {
                    meta.versions.put(n, v.withDeletionTime(""));
                }
            }
        });
    }

    LogicalResponse destroy(String key, LogicalRequest req) {
        List<Integer> versions = versions(req);
        return change(key, meta -> {
            for (int n : versions) {
                VersionMeta v = meta.versions.get(n);
                if (v != null && !v.destroyed()) {
                    meta.versions.put(n, v.asDestroyed());
                }
            }
            // one batch; on a backend that applies it entry by entry the metadata says "destroyed" before the data
            // goes, so a crash in between never shows stale data. Only the slots of versions the metadata knows:
            // a version it no longer knows was trimmed, and its slot may hold a later version now
            store.putMetadataAndDeleteVersions(key, meta, meta.slotsOf(versions));
        });
    }

    /** Marks versions deleted now, skipping unknown, destroyed and already deleted ones. */
    static void markDeleted(KeyMetadata meta, List<Integer> versions, Instant now) {
        for (int n : versions) {
            VersionMeta v = meta.versions.get(n);
            if (v != null && !v.destroyed() && !v.deletedAt(now)) {
                meta.versions.put(n, v.withDeletionTime(now.toString()));
            }
        }
    }

    private LogicalResponse change(String key, java.util.function.Consumer<KeyMetadata> edit) {
        return store.locked(key, () -> {
            store.metadata(key).ifPresent(meta -> {
                edit.accept(meta);
                meta.updatedTime = clock.instant().toString();
                store.putMetadata(key, meta);
            });
            return LogicalResponse.noContent();
        });
    }

    private static List<Integer> versions(LogicalRequest req) {
        JsonNode n = KvParams.field(req.data(), "versions");
        List<JsonNode> items = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(items::add);
        } else if (n != null && n.isTextual() && !n.textValue().isBlank()) {
            for (String part : n.textValue().split(",")) {
                items.add(req.data().textNode(part.strip()));
            }
        } else if (n != null) {
            items.add(n);
        }
        if (items.isEmpty()) {
            throw new CofferException.BadRequest("no version number provided: send \"versions\" as a list of version "
                    + "numbers, e.g. {\"versions\":[1,2]}");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode item : items) {
            if (item.isIntegralNumber() && item.canConvertToInt()) {
                out.add(item.intValue());
            } else if (item.isTextual() && item.textValue().matches("\\d{1,9}")) {
                out.add(Integer.parseInt(item.textValue()));
            } else {
                throw new CofferException.BadRequest("\"versions\" must hold version numbers, got " + item);
            }
        }
        return out;
    }
}
