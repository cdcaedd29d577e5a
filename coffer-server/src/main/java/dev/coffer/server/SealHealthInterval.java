package dev.coffer.server;

import dev.coffer.hcl.ConfigException;
import dev.coffer.server.config.Durations;
import java.time.Duration;
import java.util.Map;

/**
 * How often an unsealed node checks its auto seal's KMS ({@code sys/seal-backend-status}): one minute unless the
 * environment variable {@value #VARIABLE} gives a Go-style duration of at least one second. While the KMS fails,
 * the check runs ten times as often, so recovery is noticed quickly.
 */
final class SealHealthInterval {
    static final String VARIABLE = "COFFER_SEAL_HEALTH_CHECK_INTERVAL";
    static final Duration DEFAULT = Duration.ofMinutes(1);

    private SealHealthInterval() {
    }

    static Duration fromEnvironment(Map<String, String> env) {
        String text = env.get(VARIABLE);
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        Duration interval = Durations.parse(text);
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(VARIABLE + "='" + text.strip() + "' is not a duration of at least 1s: use e.g."
                    + " 30s or 5m, or unset it for the default of 1m");
        }
        return interval;
    }
}
