package dev.coffer.seal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * A seal stanza's parameters with Vault's precedence: the environment variable, when set and not blank,
 * overrides the stanza. Missing values are "". {@code seal} names the seal type in error messages.
 */
public record SealParams(String seal, Map<String, String> stanza, Map<String, String> env) {

    public String get(String parameter, String envVar) {
        String fromEnv = envVar == null ? null : env.get(envVar);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        String fromStanza = parameter == null ? null : stanza.get(parameter);
        return fromStanza == null ? "" : fromStanza.trim();
    }

    /** Like {@link #get}, but a missing value is a CONFIG error naming the parameter and the variable. */
    public String require(String parameter, String envVar, String what) throws SealException {
        String value = get(parameter, envVar);
        if (value.isEmpty()) {
            throw new SealException(SealException.Reason.CONFIG, seal + " seal: '" + parameter + "' is required (" + what
                    + "): set it in the seal stanza or in the environment variable " + envVar);
        }
        return value;
    }

    /**
     * Returns {@code uri} if it is an http or https URL with a host. The seal words the error itself (its hint
     * names its own parameter and an example).
     *
     * @param value the configured text {@code uri} was parsed from, named by the exception
     * @throws URISyntaxException with the reason "not an http(s) URL with a host"
     */
    public static URI httpUrl(URI uri, String value) throws URISyntaxException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new URISyntaxException(value, "not an http(s) URL with a host");
        }
        return uri;
    }
}
