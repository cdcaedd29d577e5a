package dev.coffer.logical.kv;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One version of a KV v2 key as kept in the key's metadata.
 *
 * @param createdTime  when the version was written (ISO-8601)
 * @param deletionTime when it was (or will be, with delete_version_after) soft-deleted; empty when never
 * @param destroyed    its data was removed for good
 * @param slot         the storage slot holding its data ({@code versions/<key>/<slot>}); 0 means the version's own
 *                     number (every version written before slots were reused, and each version that trimmed none)
 */
record VersionMeta(@JsonProperty("created_time") String createdTime,
                   @JsonProperty("deletion_time") String deletionTime,
                   @JsonProperty("destroyed") boolean destroyed,
                   @JsonProperty("slot") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int slot) {

    VersionMeta {
        deletionTime = deletionTime == null ? "" : deletionTime;
    }

    VersionMeta(String createdTime, String deletionTime, boolean destroyed) {
        this(createdTime, deletionTime, destroyed, 0);
    }

    /** The slot holding version {@code n}'s data. */
    int slotOf(int n) {
        return slot == 0 ? n : slot;
    }

    /** This version with its data in slot {@code s} (recorded as 0 when that is its own number {@code n}). */
    VersionMeta inSlot(int n, int s) {
        return new VersionMeta(createdTime, deletionTime, destroyed, s == n ? 0 : s);
    }

    /** Reads as deleted at {@code now}: a deletion time that has been reached. */
    boolean deletedAt(Instant now) {
        return !deletionTime.isEmpty() && !Instant.parse(deletionTime).isAfter(now);
    }

    boolean readableAt(Instant now) {
        return !destroyed && !deletedAt(now);
    }

    VersionMeta withDeletionTime(String time) {
        return new VersionMeta(createdTime, time, destroyed, slot);
    }

    VersionMeta asDestroyed() {
        return new VersionMeta(createdTime, deletionTime, true, slot);
    }
}
