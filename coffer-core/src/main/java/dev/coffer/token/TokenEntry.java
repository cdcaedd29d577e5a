package dev.coffer.token;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What the token store knows about a token. The token itself is never stored: entries are keyed by a salted
 * HMAC of it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenEntry(
        @JsonProperty("accessor") String accessor,
        @JsonProperty("policies") List<String> policies,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("creation_time") long creationTimeEpochSeconds) {

    public TokenEntry {
        policies = List.copyOf(policies);
    }

    public boolean isRoot() {
        return policies.contains("root");
    }
}
