package dev.coffer.server.config;

import dev.coffer.hcl.Origin;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code seal "TYPE" { ... }} stanza. {@code disabled} ({@code disabled = "true"} marks the old seal
 * during a seal migration), {@code name} and {@code priority} (several seals with {@code enable_multiseal})
 * are taken out of {@code params}; every other parameter is passed unvalidated to the
 * {@link dev.coffer.seal.KmsWrapperFactory} of that type, as strings.
 *
 * @param paramOrigins where each parameter was written
 * @param name         the seal's name, unique among the seals; the type when not given
 * @param priority     the order seals are tried in when unsealing, 1 first; 0 when not given
 */
public record SealConfig(String type, boolean disabled, Map<String, String> params, Origin origin,
                         Map<String, Origin> paramOrigins, String name, int priority) {

    public SealConfig {
        Objects.requireNonNull(type, "type");
        params = Map.copyOf(params);
        Objects.requireNonNull(origin, "origin");
        paramOrigins = Map.copyOf(paramOrigins);
        name = name == null || name.isBlank() ? type : name;
    }

    /** A stanza without {@code name} and {@code priority}. */
    public SealConfig(String type, boolean disabled, Map<String, String> params, Origin origin,
                      Map<String, Origin> paramOrigins) {
        this(type, disabled, params, origin, paramOrigins, null, 0);
    }

    /** Where {@code param} was written, or the stanza's own origin if it was not. */
    public Origin originOf(String param) {
        return paramOrigins.getOrDefault(param, origin);
    }
}
