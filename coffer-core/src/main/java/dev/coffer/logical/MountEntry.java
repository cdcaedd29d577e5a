package dev.coffer.logical;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One mounted engine as stored in the mount table ({@code core/mounts} for secrets engines,
 * {@code core/auth} for auth methods).
 *
 * @param path        the mount path with a trailing slash, relative to {@code /v1/} for secrets engines and
 *                    to {@code /v1/auth/} for auth methods (Vault's convention), e.g. {@code secret/}, {@code token/}
 * @param type        the engine type, e.g. {@code kv}, {@code transit}, {@code token}
 * @param uuid        names the mount's storage area; never reused, so a remounted path starts empty
 * @param accessor    a public, stable name for the mount (e.g. {@code kv_1a2b3c4d})
 * @param config      tunables: {@code default_lease_ttl}, {@code max_lease_ttl} (seconds) and others
 * @param options     engine options, e.g. {@code version = "2"} for KV
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MountEntry(
        @JsonProperty("path") String path,
        @JsonProperty("type") String type,
        @JsonProperty("description") String description,
        @JsonProperty("uuid") String uuid,
        @JsonProperty("accessor") String accessor,
        @JsonProperty("config") Map<String, String> config,
        @JsonProperty("options") Map<String, String> options,
        @JsonProperty("local") boolean local,
        @JsonProperty("seal_wrap") boolean sealWrap,
        @JsonProperty("kind") BackendFactory.Kind kind) {

    public MountEntry {
        config = config == null ? Map.of() : Map.copyOf(config);
        options = options == null ? Map.of() : Map.copyOf(options);
        description = description == null ? "" : description;
    }

    /** The full routing prefix under {@code /v1/}: {@code secret/} or {@code auth/token/}. */
    public String routePrefix() {
        return kind == BackendFactory.Kind.AUTH ? "auth/" + path : path;
    }

    /** The prefix of this mount's storage behind the barrier. */
    public String storagePrefix() {
        return (kind == BackendFactory.Kind.AUTH ? "auth/" : "logical/") + uuid + "/";
    }

    public MountEntry withConfig(Map<String, String> newConfig) {
        return new MountEntry(path, type, description, uuid, accessor, newConfig, options, local, sealWrap, kind);
    }

    public MountEntry withOptions(Map<String, String> newOptions) {
        return new MountEntry(path, type, description, uuid, accessor, config, newOptions, local, sealWrap, kind);
    }

    public MountEntry withDescription(String newDescription) {
        return new MountEntry(path, type, newDescription, uuid, accessor, config, options, local, sealWrap, kind);
    }
}
