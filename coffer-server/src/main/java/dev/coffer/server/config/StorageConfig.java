package dev.coffer.server.config;

import dev.coffer.hcl.Origin;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code storage "TYPE" { ... }} (or {@code ha_storage}) stanza. Parameters are passed unvalidated to the
 * {@link dev.coffer.storage.StorageFactory} of that type, as strings (numbers and booleans in their written
 * form); {@link #originOf} lets the factory point at the line of a bad parameter.
 *
 * @param paramOrigins where each parameter was written
 */
public record StorageConfig(String type, Map<String, String> params, Origin origin, Map<String, Origin> paramOrigins) {

    public StorageConfig {
        Objects.requireNonNull(type, "type");
        params = Map.copyOf(params);
        Objects.requireNonNull(origin, "origin");
        paramOrigins = Map.copyOf(paramOrigins);
    }

    /** Where {@code param} was written, or the stanza's own origin if it was not. */
    public Origin originOf(String param) {
        return paramOrigins.getOrDefault(param, origin);
    }
}
