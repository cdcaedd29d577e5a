package dev.coffer.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.coffer.CofferException;
import java.io.IOException;

/**
 * {@code metadata.json}: what the snapshot is, for inspection and for checks before a restore.
 *
 * @param formatVersion {@link SnapshotFormat#FORMAT_VERSION}
 * @param cofferVersion the server version that wrote it
 * @param storageType   the {@code storage "TYPE"} it was taken from
 * @param createdTime   ISO-8601 instant the point-in-time view was taken
 * @param entryCount    number of records in {@code entries}
 * @param keyringTerm   the active keyring term when it was taken
 * @param clusterId     the vault's cluster id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotMetadata(@JsonProperty("format_version") int formatVersion,
                               @JsonProperty("coffer_version") String cofferVersion,
                               @JsonProperty("storage_type") String storageType,
                               @JsonProperty("created_time") String createdTime,
                               @JsonProperty("entry_count") long entryCount,
                               @JsonProperty("keyring_term") int keyringTerm,
                               @JsonProperty("cluster_id") String clusterId) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("serializing snapshot metadata cannot fail", e);
        }
    }

    static SnapshotMetadata fromJson(byte[] json) throws IOException {
        SnapshotMetadata m;
        try {
            m = JSON.readValue(json, SnapshotMetadata.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CofferException.BadRequest("the snapshot's " + SnapshotFormat.METADATA + " is not valid JSON ("
                    + e.getOriginalMessage() + "): the archive is damaged; use another snapshot");
        }
        if (m.formatVersion() != SnapshotFormat.FORMAT_VERSION) {
            throw new CofferException.BadRequest("the snapshot has format version " + m.formatVersion()
                    + " but this server reads version " + SnapshotFormat.FORMAT_VERSION
                    + ": restore it with the Coffer version that wrote it (" + m.cofferVersion() + ")");
        }
        if (m.entryCount() < 0) {
            throw new CofferException.BadRequest("the snapshot's entry_count is negative: the archive is damaged");
        }
        return m;
    }
}
