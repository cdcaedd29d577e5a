package dev.coffer.server.config;

import dev.coffer.storage.ReadCache;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated server configuration, merged from every file given to {@link ConfigLoader}.
 *
 * @param storage         null only in dev mode (which brings its own in-memory storage)
 * @param haStorage       nullable; a separate backend for the HA lock
 * @param seals           empty means Shamir; one active seal, plus one disabled during a migration; with
 *                        {@code enableMultiseal}, up to three active seals (see {@link SealRules})
 * @param listeners       at least one unless in dev mode
 * @param apiAddr         nullable; address advertised to clients
 * @param clusterAddr     nullable; address advertised to other nodes
 * @param clusterName     nullable; generated at first start when absent
 * @param logLevel        trace, debug, info (default), warn or error
 * @param logFormat       standard (default) or json
 * @param defaultLeaseTtl default 768h
 * @param maxLeaseTtl     default 768h, never below {@code defaultLeaseTtl}
 * @param telemetry       the telemetry block's settings as strings
 * @param warnings        things the operator should read (unknown keys, mlock), each with FILE:LINE
 * @param snapshots       the {@code snapshot "NAME" {...}} stanzas: scheduled snapshots, read-only through the API
 * @param enableMultiseal {@code enable_multiseal = true}: every active seal wraps the root key, any one unseals
 * @param disableCache    {@code disable_cache = true}: no storage read cache
 * @param cacheSize       {@code cache_size}: entries the storage read cache keeps (default 131072, also for 0)
 */
public record ServerConfig(StorageConfig storage, StorageConfig haStorage, List<SealConfig> seals,
                           List<ListenerConfig> listeners, String apiAddr, String clusterAddr, String clusterName,
                           boolean ui, String logLevel, String logFormat, boolean disableMlock,
                           Duration defaultLeaseTtl, Duration maxLeaseTtl, Map<String, String> telemetry,
                           List<String> warnings, List<dev.coffer.snapshot.auto.SnapshotSchedule> snapshots,
                           boolean enableMultiseal, boolean disableCache, int cacheSize) {

    public static final Duration DEFAULT_LEASE_TTL = Duration.ofHours(768);

    public ServerConfig {
        seals = List.copyOf(seals);
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(defaultLeaseTtl, "defaultLeaseTtl");
        Objects.requireNonNull(maxLeaseTtl, "maxLeaseTtl");
        telemetry = Map.copyOf(telemetry);
        warnings = List.copyOf(warnings);
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cacheSize must be at least 1, got " + cacheSize);
        }
    }

    /** With the default read cache. */
    public ServerConfig(StorageConfig storage, StorageConfig haStorage, List<SealConfig> seals,
                        List<ListenerConfig> listeners, String apiAddr, String clusterAddr, String clusterName,
                        boolean ui, String logLevel, String logFormat, boolean disableMlock,
                        Duration defaultLeaseTtl, Duration maxLeaseTtl, Map<String, String> telemetry,
                        List<String> warnings, List<dev.coffer.snapshot.auto.SnapshotSchedule> snapshots,
                        boolean enableMultiseal) {
        this(storage, haStorage, seals, listeners, apiAddr, clusterAddr, clusterName, ui, logLevel, logFormat,
                disableMlock, defaultLeaseTtl, maxLeaseTtl, telemetry, warnings, snapshots, enableMultiseal, false,
                ReadCache.DEFAULT_SIZE);
    }

    /** Without {@code enable_multiseal}. */
    public ServerConfig(StorageConfig storage, StorageConfig haStorage, List<SealConfig> seals,
                        List<ListenerConfig> listeners, String apiAddr, String clusterAddr, String clusterName,
                        boolean ui, String logLevel, String logFormat, boolean disableMlock,
                        Duration defaultLeaseTtl, Duration maxLeaseTtl, Map<String, String> telemetry,
                        List<String> warnings, List<dev.coffer.snapshot.auto.SnapshotSchedule> snapshots) {
        this(storage, haStorage, seals, listeners, apiAddr, clusterAddr, clusterName, ui, logLevel, logFormat,
                disableMlock, defaultLeaseTtl, maxLeaseTtl, telemetry, warnings, snapshots, false);
    }

    /** Without {@code snapshot} stanzas. */
    public ServerConfig(StorageConfig storage, StorageConfig haStorage, List<SealConfig> seals,
                        List<ListenerConfig> listeners, String apiAddr, String clusterAddr, String clusterName,
                        boolean ui, String logLevel, String logFormat, boolean disableMlock,
                        Duration defaultLeaseTtl, Duration maxLeaseTtl, Map<String, String> telemetry,
                        List<String> warnings) {
        this(storage, haStorage, seals, listeners, apiAddr, clusterAddr, clusterName, ui, logLevel, logFormat,
                disableMlock, defaultLeaseTtl, maxLeaseTtl, telemetry, warnings, List.of());
    }

    /** Entries the storage read cache keeps; 0 when {@code disable_cache} turned it off. */
    public int readCacheEntries() {
        return disableCache ? 0 : cacheSize;
    }

    /** The seal that protects the root key now (the highest-priority one of several), or null for Shamir. */
    public SealConfig activeSeal() {
        return activeSeals().stream().findFirst().orElse(null);
    }

    /** The seals that are not disabled, in priority order (1 first). */
    public List<SealConfig> activeSeals() {
        return seals.stream().filter(s -> !s.disabled())
                .sorted(java.util.Comparator.comparingInt(SealConfig::priority)).toList();
    }

    /** The seal being migrated away from ({@code disabled = "true"}), or null. */
    public SealConfig disabledSeal() {
        return seals.stream().filter(SealConfig::disabled).findFirst().orElse(null);
    }
}
