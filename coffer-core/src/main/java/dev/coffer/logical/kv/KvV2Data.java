package dev.coffer.logical.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** KV v2's {@code data/}, {@code subkeys/} paths: writing, reading and patching versions. */
final class KvV2Data {
    static final String CAS_MISMATCH = "check-and-set parameter did not match the current version";
    static final String CAS_REQUIRED = "check-and-set parameter required for this call";

    private final KvV2Store store;
    private final Clock clock;

    KvV2Data(KvV2Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    LogicalResponse write(String key, LogicalRequest req) {
        JsonNode data = KvParams.field(req.data(), "data");
        if (data == null || !data.isObject()) {
            throw new CofferException.BadRequest("no data provided: send the secret as a JSON object in the \"data\" "
                    + "field, e.g. {\"data\":{\"password\":\"...\"}}");
        }
        Integer cas = cas(req.data());
        return store.locked(key, () -> {
            KeyMetadata meta = store.metadata(key).orElseGet(() -> KeyMetadata.fresh(clock.instant()));
            checkCas(meta, cas);
            return LogicalResponse.ok(KvResponses.versionMetadata(meta, addVersionLocked(key, meta, data)));
        });
    }

    /** JSON merge patch of the latest version into a new version; the latest must exist and be readable. */
    LogicalResponse patch(String key, LogicalRequest req) {
        JsonNode patch = KvParams.field(req.data(), "data");
        if (patch == null || !patch.isObject()) {
            throw new CofferException.BadRequest("no data provided: send the changes as a JSON object in the \"data\" "
                    + "field; a null value removes that field");
        }
        Integer cas = cas(req.data());
        return store.locked(key, () -> {
            KeyMetadata meta = store.metadata(key).orElseThrow(() -> new CofferException.NotFound(null));
            VersionMeta latest = meta.versions.get(meta.currentVersion);
            if (latest == null || !latest.readableAt(clock.instant())) {
                throw new CofferException.NotFound(null);
            }
            checkCas(meta, cas);
            JsonNode current = store.version(key, meta.currentVersion, latest)
                    .orElseThrow(() -> new CofferException.NotFound(null));
            JsonNode merged = JsonMergePatch.apply(current, patch);
            return LogicalResponse.ok(KvResponses.versionMetadata(meta, addVersionLocked(key, meta, merged)));
        });
    }

    LogicalResponse read(String key, LogicalRequest req) {
        Found found = find(key, req);
        return KvResponses.read(found.meta(), found.version(), found.data().orElse(null));
    }

    /** The key names of a version with every leaf value replaced by null, down to {@code depth} (0 = all). */
    LogicalResponse subkeys(String key, LogicalRequest req) {
        Integer depth = KvParams.optionalInt(req.data(), "depth");
        if (depth != null && depth < 0) {
            throw new CofferException.BadRequest("depth must be 0 (no limit) or a positive number of levels");
        }
        Found found = find(key, req);
        ObjectNode out = req.data().objectNode();
        out.set("subkeys", found.data().map(d -> Subkeys.of(d, depth == null ? 0 : depth)).orElse(null));
        out.set("metadata", KvResponses.versionMetadata(found.meta(), found.version()));
        return found.data().isPresent() ? LogicalResponse.ok(out)
                : new LogicalResponse(404, out, null, List.of(), 0, false, null, false);
    }

    /** Soft-deletes the latest version. */
    LogicalResponse deleteLatest(String key) {
        return store.locked(key, () -> {
            Optional<KeyMetadata> meta = store.metadata(key);
            meta.ifPresent(m -> KvV2Versions.markDeleted(m, List.of(m.currentVersion), clock.instant()));
            meta.ifPresent(m -> store.putMetadata(key, m));
            return LogicalResponse.noContent();
        });
    }

    /**
     * The CREATE/UPDATE check, under the key's write lock: a write of the same key in flight finishes first, so the
     * check sees its outcome (and, with the storage read cache, finds the metadata that write stored instead of
     * reading storage while the write has the entry dropped).
     */
    boolean exists(String key) {
        return store.locked(key, () -> store.hasCurrentVersion(key));
    }

    private record Found(KeyMetadata meta, int version, Optional<JsonNode> data) {
    }

    private Found find(String key, LogicalRequest req) {
        KeyMetadata meta = store.metadata(key).orElseThrow(() -> new CofferException.NotFound(null));
        Integer asked = KvParams.optionalInt(req.data(), "version");
        int version = asked == null || asked == 0 ? meta.currentVersion : asked;
        VersionMeta v = meta.versions.get(version);
        if (v == null) {
            throw new CofferException.NotFound(null);
        }
        Optional<JsonNode> data = v.readableAt(clock.instant()) ? store.version(key, version, v) : Optional.empty();
        return new Found(meta, version, data);
    }

    private int addVersionLocked(String key, KeyMetadata meta, JsonNode data) {
        KvConfig config = store.config();
        Instant now = clock.instant();
        int n = meta.addVersion(now, meta.effectiveDeleteAfter(config));
        List<Integer> freed = meta.trimTo(meta.effectiveMaxVersions(config));
        // only on a backend that applies the batch all or nothing: applied entry by entry, a crash after the
        // version and before the metadata would leave the oldest kept version's data overwritten
        int slot = store.atomicBatches() ? meta.moveIntoFreedSlot(n, freed) : n;
        store.putVersionAndMetadata(key, n, slot, data, meta, freed);
        return n;
    }

    private void checkCas(KeyMetadata meta, Integer cas) {
        if (cas == null && (meta.casRequired || store.config().casRequired())) {
            throw new CofferException.BadRequest(CAS_REQUIRED + ": this key or mount has cas_required set, so send "
                    + "options.cas with the current version (0 to create the key)");
        }
        if (cas != null && cas != meta.currentVersion) {
            throw new CofferException.BadRequest(CAS_MISMATCH);
        }
    }

    private static Integer cas(ObjectNode body) {
        JsonNode options = KvParams.field(body, "options");
        if (options == null) {
            return null;
        }
        if (!options.isObject()) {
            throw new CofferException.BadRequest("field \"options\" must be an object such as {\"cas\": 1}");
        }
        Integer cas = KvParams.optionalInt((ObjectNode) options, "cas");
        if (cas != null && cas < 0) {
            throw new CofferException.BadRequest("options.cas must be 0 (key must not exist) or the current version");
        }
        return cas;
    }
}
