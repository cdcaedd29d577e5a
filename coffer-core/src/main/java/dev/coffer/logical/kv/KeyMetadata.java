package dev.coffer.logical.kv;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything KV v2 knows about one key except the version data: its settings and the state of every version
 * still kept. Mutable, and only changed while the key's lock is held; a fresh copy is read for every request.
 */
final class KeyMetadata {
    @JsonProperty("created_time")
    String createdTime;
    @JsonProperty("updated_time")
    String updatedTime;
    @JsonProperty("current_version")
    int currentVersion;
    @JsonProperty("oldest_version")
    int oldestVersion;
    @JsonProperty("max_versions")
    int maxVersions;
    @JsonProperty("cas_required")
    boolean casRequired;
    @JsonProperty("delete_version_after")
    long deleteVersionAfterSecs;
    @JsonProperty("custom_metadata")
    Map<String, String> customMetadata = new TreeMap<>();
    @JsonProperty("versions")
    TreeMap<Integer, VersionMeta> versions = new TreeMap<>();

    static KeyMetadata fresh(Instant now) {
        KeyMetadata m = new KeyMetadata();
        m.createdTime = now.toString();
        m.updatedTime = m.createdTime;
        return m;
    }

    /**
     * A copy that shares nothing mutable with this one, shaped as parsing this metadata's JSON would shape it
     * (custom metadata in a LinkedHashMap in this one's order, versions in a TreeMap; {@link VersionMeta}s are
     * immutable and shared).
     */
    KeyMetadata copy() {
        KeyMetadata c = new KeyMetadata();
        c.createdTime = createdTime;
        c.updatedTime = updatedTime;
        c.currentVersion = currentVersion;
        c.oldestVersion = oldestVersion;
        c.maxVersions = maxVersions;
        c.casRequired = casRequired;
        c.deleteVersionAfterSecs = deleteVersionAfterSecs;
        c.customMetadata = customMetadata == null ? null : new LinkedHashMap<>(customMetadata);
        c.versions = versions == null ? null : new TreeMap<>(versions);
        return c;
    }

    /** Records version {@code currentVersion + 1} and returns its number. */
    int addVersion(Instant now, long deleteAfterSecs) {
        int n = currentVersion + 1;
        String created = now.toString(); // formatting an Instant is not cheap: once for both fields
        String deletion = deleteAfterSecs > 0 ? now.plusSeconds(deleteAfterSecs).toString() : "";
        versions.put(n, new VersionMeta(created, deletion, false));
        currentVersion = n;
        if (oldestVersion == 0) {
            oldestVersion = n;
        }
        updatedTime = created;
        return n;
    }

    /**
     * Drops the oldest versions beyond {@code max} and returns the slots that held their data, oldest first: each
     * must either be deleted or take a new version's data in the same storage batch.
     */
    List<Integer> trimTo(int max) {
        List<Integer> freed = new ArrayList<>();
        while (versions.size() > max) {
            Map.Entry<Integer, VersionMeta> dropped = versions.pollFirstEntry();
            freed.add(dropped.getValue().slotOf(dropped.getKey()));
        }
        if (!versions.isEmpty()) {
            oldestVersion = versions.firstKey();
        }
        return freed;
    }

    /**
     * Puts version {@code n}'s data into the oldest of the {@code freed} slots (taken out of the list: its entry is
     * overwritten, not deleted) and returns that slot; {@code n} itself when nothing was freed.
     */
    int moveIntoFreedSlot(int n, List<Integer> freed) {
        if (freed.isEmpty()) {
            return n;
        }
        int slot = freed.remove(0);
        versions.put(n, versions.get(n).inSlot(n, slot));
        return slot;
    }

    /** The slots holding the data of the given versions that this metadata knows; unknown versions have none. */
    List<Integer> slotsOf(Iterable<Integer> numbers) {
        List<Integer> slots = new ArrayList<>();
        for (int n : numbers) {
            VersionMeta v = versions.get(n);
            if (v != null) {
                slots.add(v.slotOf(n));
            }
        }
        return slots;
    }

    /** The key's max_versions if set, else the mount's, else 10. */
    int effectiveMaxVersions(KvConfig config) {
        if (maxVersions > 0) {
            return maxVersions;
        }
        return config.maxVersions() > 0 ? config.maxVersions() : KvConfig.DEFAULT_MAX_VERSIONS;
    }

    /** The key's delete_version_after if set, else the mount's. */
    long effectiveDeleteAfter(KvConfig config) {
        return deleteVersionAfterSecs > 0 ? deleteVersionAfterSecs : config.deleteVersionAfterSecs();
    }
}
