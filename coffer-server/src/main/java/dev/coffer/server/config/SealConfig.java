package dev.coffer.server.config;

import dev.coffer.hcl.Origin;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code seal "TYPE" { ... }} stanza. {@code disabled} ({@code disabled = "true"} marks the old seal
 * during a seal migration) is taken out of {@code params}; every other parameter is passed unvalidated
 * to the {@link dev.coffer.seal.KmsWrapperFactory} of that type, as strings.
 *
 * @param paramOrigins where each parameter was written
 */
public record SealConfig(String type, boolean disabled, Map<String, String> params, Origin origin,
                         Map<String, Origin> paramOrigins) {

    public SealConfig {
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
