package dev.coffer.storage.postgresql;

import dev.coffer.CofferException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validated {@code storage "postgresql"} stanza. HA timings default to values measured on the project's
 * machines (see docs/decisions/0005-postgresql-ha-lock.md).
 */
record PostgresSettings(JdbcTarget target, String table, boolean haEnabled, String haTable, int maxParallel,
                        int maxIdleConnections, boolean skipCreateTable, int maxConnectRetries, Duration leaseTtl,
                        Duration renewInterval, Duration retryInterval) {

    static final String ENV_CONNECTION_URL = "VAULT_PG_CONNECTION_URL";
    static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(3);
    static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(1);
    static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMillis(250);

    /** Plain or schema-qualified identifiers only: table names are spliced into SQL. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}(\\.[A-Za-z_][A-Za-z0-9_$]{0,62})?");

    PostgresSettings {
        if (!leaseTtl.isPositive() || renewInterval.compareTo(leaseTtl.dividedBy(2)) > 0 || !renewInterval.isPositive()) {
            throw bad("ha_renew_interval must be positive and at most half of ha_lease_ttl, so one slow renewal"
                    + " does not lose the lock (got ha_lease_ttl " + leaseTtl.toMillis() + " ms, ha_renew_interval "
                    + renewInterval.toMillis() + " ms)");
        }
    }

    /** How long one renewal may take before the holder gives up on it: one interval, below the lease. */
    Duration renewTimeout() {
        return renewInterval;
    }

    static PostgresSettings from(Map<String, String> config, Map<String, String> env) {
        String url = env.getOrDefault(ENV_CONNECTION_URL, "");
        if (url.isBlank()) {
            url = config.get("connection_url");
        }
        JdbcTarget target = ConnectionUrls.parse(url);
        int maxParallel = positiveInt(config, "max_parallel", 128);
        int maxIdle = Math.min(maxParallel, nonNegativeInt(config, "max_idle_connections", maxParallel));
        return new PostgresSettings(target, tableName(config, "table", "vault_kv_store"),
                bool(config, "ha_enabled"), tableName(config, "ha_table", "vault_ha_locks"), maxParallel, maxIdle,
                bool(config, "skip_create_table"), nonNegativeInt(config, "max_connect_retries", 1),
                duration(config, "ha_lease_ttl", DEFAULT_LEASE_TTL),
                duration(config, "ha_renew_interval", DEFAULT_RENEW_INTERVAL),
                duration(config, "ha_retry_interval", DEFAULT_RETRY_INTERVAL));
    }

    private static String tableName(Map<String, String> config, String name, String fallback) {
        String value = config.getOrDefault(name, fallback).strip();
        if (!TABLE_NAME.matcher(value).matches()) {
            throw bad("parameter \"" + name + "\" must be a table name (letters, digits, '_', optionally"
                    + " schema-qualified as schema.table), got \"" + value + "\"");
        }
        return value;
    }

    private static boolean bool(Map<String, String> config, String name) {
        String value = config.getOrDefault(name, "false").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "1", "t", "yes" -> true;
            case "false", "0", "f", "no", "" -> false;
            default -> throw bad("parameter \"" + name + "\" must be \"true\" or \"false\", got \"" + value + "\"");
        };
    }

    private static int positiveInt(Map<String, String> config, String name, int fallback) {
        int value = nonNegativeInt(config, name, fallback);
        if (value == 0) {
            throw bad("parameter \"" + name + "\" must be at least 1");
        }
        return value;
    }

    private static int nonNegativeInt(Map<String, String> config, String name, int fallback) {
        String value = config.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw bad("parameter \"" + name + "\" must be a whole number >= 0, got \"" + value + "\"");
        }
    }

    /** Go-style durations as in Vault configs: "3s", "250ms", "1m"; a bare number is seconds. */
    static Duration duration(Map<String, String> config, String name, Duration fallback) {
        String value = config.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String text = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            }
            if (text.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
        } catch (NumberFormatException e) {
            throw bad("parameter \"" + name + "\" must be a duration such as \"3s\" or \"250ms\", got \"" + value + "\"");
        }
    }

    private static CofferException.BadRequest bad(String message) {
        return new CofferException.BadRequest("storage \"postgresql\": " + message);
    }
}
