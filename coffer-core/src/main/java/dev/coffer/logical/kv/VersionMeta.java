package dev.coffer.logical.kv;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One version of a KV v2 key as kept in the key's metadata.
 *
 * @param createdTime  when the version was written (ISO-8601)
 * @param deletionTime when it was (or will be, with delete_version_after) soft-deleted; empty when never
 * @param destroyed    its data was removed for good
 */
record VersionMeta(@JsonProperty("created_time") String createdTime,
                   @JsonProperty("deletion_time") String deletionTime,
                   @JsonProperty("destroyed") boolean destroyed) {

    VersionMeta {
        deletionTime = deletionTime == null ? "" : deletionTime;
    }

    /** Reads as deleted at {@code now}: a deletion time that has been reached. */
    boolean deletedAt(Instant now) {
        return !deletionTime.isEmpty() && !Instant.parse(deletionTime).isAfter(now);
    }

    boolean readableAt(Instant now) {
        return !destroyed && !deletedAt(now);
    }

    VersionMeta withDeletionTime(String time) {
        return new VersionMeta(createdTime, time, destroyed);
    }

    VersionMeta asDestroyed() {
        return new VersionMeta(createdTime, deletionTime, true);
    }
}
