package dev.coffer.token;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What the token store knows about a token. The token itself is never stored: entries are keyed by a salted
 * HMAC of it ({@link #key()}), and the parent is referred to by its key too.
 *
 * @param key              salted HMAC of the token: the storage key, never the token
 * @param accessor         public handle that can look up or revoke the token without knowing it
 * @param policies         sorted, lower-case policy names
 * @param creationTime     epoch seconds when the token was issued
 * @param parent           key of the parent token, empty for orphans (and root tokens made at init)
 * @param creationTtl      the TTL granted at creation, seconds (0: never expires)
 * @param expireTime       epoch seconds when it expires, 0 for never
 * @param explicitMaxTtl   hard cap on the lifetime from creation, seconds (0: none)
 * @param period           periodic tokens renew to this TTL, seconds (0: not periodic)
 * @param numUses          remaining uses, 0 for unlimited
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenEntry(
        @JsonProperty("key") String key,
        @JsonProperty("accessor") String accessor,
        @JsonProperty("policies") List<String> policies,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("creation_time") long creationTime,
        @JsonProperty("parent") String parent,
        @JsonProperty("path") String path,
        @JsonProperty("meta") Map<String, String> meta,
        @JsonProperty("creation_ttl") long creationTtl,
        @JsonProperty("expire_time") long expireTime,
        @JsonProperty("explicit_max_ttl") long explicitMaxTtl,
        @JsonProperty("period") long period,
        @JsonProperty("num_uses") int numUses,
        @JsonProperty("renewable") boolean renewable,
        @JsonProperty("orphan") boolean orphan) {

    public TokenEntry {
        policies = policies == null ? List.of() : List.copyOf(policies);
        meta = meta == null ? Map.of() : Map.copyOf(meta);
        parent = parent == null ? "" : parent;
        displayName = displayName == null ? "" : displayName;
        path = path == null ? "" : path;
    }

    @JsonIgnore
    public boolean isRoot() {
        return policies.contains("root");
    }

    /** True once {@code nowEpochSeconds} has reached the expiry time (never for tokens without one). */
    public boolean expiredAt(long nowEpochSeconds) {
        return expireTime != 0 && nowEpochSeconds >= expireTime;
    }

    TokenEntry withExpireTime(long newExpire) {
        return new TokenEntry(key, accessor, policies, displayName, creationTime, parent, path, meta, creationTtl,
                newExpire, explicitMaxTtl, period, numUses, renewable, orphan);
    }

    TokenEntry withNumUses(int uses) {
        return new TokenEntry(key, accessor, policies, displayName, creationTime, parent, path, meta, creationTtl,
                expireTime, explicitMaxTtl, period, uses, renewable, orphan);
    }

    TokenEntry asOrphan() {
        return new TokenEntry(key, accessor, policies, displayName, creationTime, "", path, meta, creationTtl,
                expireTime, explicitMaxTtl, period, numUses, renewable, true);
    }
}
