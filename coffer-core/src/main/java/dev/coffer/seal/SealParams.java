package dev.coffer.seal;

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
}
