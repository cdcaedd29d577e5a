package dev.coffer.logical.kv;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A KV v2 mount's settings ({@code <mount>/config}); every key inherits them unless its metadata overrides.
 *
 * @param maxVersions             versions kept per key; 0 means the default of 10
 * @param casRequired             every data write must carry {@code options.cas}
 * @param deleteVersionAfterSecs  new versions read as deleted this long after they are written; 0 = never
 */
record KvConfig(@JsonProperty("max_versions") int maxVersions,
                @JsonProperty("cas_required") boolean casRequired,
                @JsonProperty("delete_version_after") long deleteVersionAfterSecs) {

    static final int DEFAULT_MAX_VERSIONS = 10;
    static final KvConfig DEFAULTS = new KvConfig(0, false, 0);
}
