package dev.coffer.server.config;

import dev.coffer.hcl.ConfigNode;
import dev.coffer.hcl.ConfigException;
import dev.coffer.hcl.Origin;
import dev.coffer.hcl.ConfigNode.Entry;
import dev.coffer.hcl.ConfigNode.ObjectNode;
import java.time.Duration;
import dev.coffer.snapshot.auto.SnapshotSchedule;
import dev.coffer.storage.ReadCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Gives meaning to the parsed files, in order: later files override single settings, listeners and seals
 * accumulate, storage may appear once in all files together.
 */
final class ServerConfigBuilder {
    private static final Set<String> SETTINGS = Set.of("api_addr", "cluster_addr", "cluster_name", "ui", "log_level",
            "log_format", "disable_mlock", "default_lease_ttl", "max_lease_ttl", "enable_multiseal", "disable_cache",
            "cache_size");
    private static final Map<String, String> LOG_LEVELS = Map.of("trace", "trace", "debug", "debug", "info", "info",
            "warn", "warn", "warning", "warn", "error", "error", "err", "error");
    static final String MLOCK_WARNING = "the JVM cannot lock its heap in memory (mlock), so secrets in memory may"
            + " be written to swap; run Coffer with swap disabled or encrypted, then set disable_mlock = true to"
            + " acknowledge";

    private final boolean dev;
    private final List<String> warnings = new ArrayList<>();
    private final List<Stanza> storages = new ArrayList<>();
    private final List<Stanza> haStorages = new ArrayList<>();
    private final List<Stanza> seals = new ArrayList<>();
    private final List<Stanza> listeners = new ArrayList<>();
    private final List<Stanza> snapshots = new ArrayList<>();
    private final Map<String, Entry> settings = new LinkedHashMap<>();
    private final Map<String, String> telemetry = new LinkedHashMap<>();

    private ServerConfigBuilder(boolean dev) {
        this.dev = dev;
    }

    static ServerConfig build(List<ObjectNode> files, boolean dev) {
        ServerConfigBuilder b = new ServerConfigBuilder(dev);
        files.forEach(file -> file.entries().forEach(b::collect));
        return b.build();
    }

    private void collect(Entry e) {
        switch (e.key()) {
            case "storage" -> storages.addAll(Stanza.of(e));
            case "ha_storage" -> haStorages.addAll(Stanza.of(e));
            case "backend", "ha_backend" -> {
                warnings.add(e.position().origin() + ": \"" + e.key() + "\" is the old name of \""
                        + (e.key().equals("backend") ? "storage" : "ha_storage") + "\"; it works, but rename it");
                (e.key().equals("backend") ? storages : haStorages).addAll(Stanza.of(e));
            }
            case "seal" -> seals.addAll(Stanza.of(e));
            case "listener" -> listeners.addAll(Stanza.of(e));
            case "snapshot" -> snapshots.addAll(Stanza.of(e));
            case "telemetry" -> collectTelemetry(e);
            default -> {
                if (SETTINGS.contains(e.key()) && e.labels().isEmpty()) {
                    settings.put(e.key(), e);
                } else {
                    warnings.add(e.position().origin() + ": unknown key \"" + e.key() + "\" ignored");
                }
            }
        }
    }

    private void collectTelemetry(Entry e) {
        if (!e.labels().isEmpty() || !(e.value() instanceof ObjectNode body)) {
            throw Values.wrongType(e.value(), "telemetry", "a block telemetry { ... }");
        }
        for (Entry setting : body.entries()) {
            String key = "telemetry." + setting.key();
            if (!setting.labels().isEmpty() || setting.value() instanceof ObjectNode) {
                throw Values.wrongType(setting.value(), key, "a string, number, boolean or list");
            }
            telemetry.put(setting.key(), Values.parameter(setting.value(), key));
        }
    }

    private ServerConfig build() {
        StorageConfig storage = single(storages, "storage", !dev);
        StorageConfig haStorage = single(haStorages, "ha_storage", false);
        boolean multiseal = bool("enable_multiseal", false);
        List<SealConfig> sealConfigs = SealRules.validate(seals.stream().map(ServerConfigBuilder::seal).toList(),
                multiseal);
        List<ListenerConfig> listenerConfigs = listeners.stream().map(l -> ListenerBuilder.build(l, warnings)).toList();
        if (listenerConfigs.isEmpty() && !dev) {
            throw new ConfigException("no listener configured; add listener \"tcp\" { address = \"127.0.0.1:8200\""
                    + " tls_cert_file = \"...\" tls_key_file = \"...\" }");
        }
        boolean disableMlock = bool("disable_mlock", false);
        if (!disableMlock && !dev) {
            // dev mode holds throwaway keys in memory only; the warning is for servers that keep real secrets
            warnings.add(where("disable_mlock") + MLOCK_WARNING);
        }
        Duration maxTtl = ttl("max_lease_ttl");
        Duration defaultTtl = settings.containsKey("default_lease_ttl") ? ttl("default_lease_ttl")
                : min(ServerConfig.DEFAULT_LEASE_TTL, maxTtl);
        if (defaultTtl.compareTo(maxTtl) > 0) {
            throw ConfigException.at(settings.get("default_lease_ttl").position().origin(), "default_lease_ttl ("
                    + defaultTtl + ") is longer than max_lease_ttl (" + maxTtl + "); lower it or raise max_lease_ttl");
        }
        boolean disableCache = bool("disable_cache", false);
        int cacheSize = cacheSize();
        if (disableCache && settings.containsKey("cache_size")) {
            warnings.add(where("cache_size") + "cache_size has no effect: disable_cache = true turns the storage read"
                    + " cache off");
        }
        return new ServerConfig(storage, haStorage, sealConfigs, listenerConfigs, text("api_addr", null),
                text("cluster_addr", null), text("cluster_name", null), bool("ui", false), logLevel(), logFormat(),
                disableMlock, defaultTtl, maxTtl, telemetry, warnings, snapshotSchedules(), multiseal, disableCache,
                cacheSize);
    }

    /** {@code cache_size}: a whole number of entries, as a number or a string; 0 means the default, as in Vault. */
    private int cacheSize() {
        Entry e = settings.get("cache_size");
        if (e == null) {
            return ReadCache.DEFAULT_SIZE;
        }
        String text = switch (e.value()) {
            case ConfigNode.Num n -> n.text();
            case ConfigNode.Str s -> s.value().strip();
            default -> "";
        };
        long entries = text.matches("\\d{1,10}") ? Long.parseLong(text) : -1;
        if (entries < 0 || entries > Integer.MAX_VALUE) {
            throw Values.wrongType(e.value(), "cache_size", "a whole number of entries from 1 to " + Integer.MAX_VALUE
                    + " (0 or no setting: the default, " + ReadCache.DEFAULT_SIZE + "; disable_cache = true turns the"
                    + " cache off)");
        }
        return entries == 0 ? ReadCache.DEFAULT_SIZE : (int) entries;
    }

    /** {@code snapshot "NAME" { interval = "24h" retain = 7 target "TYPE" { ... } }}, names unique across files. */
    private List<SnapshotSchedule> snapshotSchedules() {
        Map<String, SnapshotSchedule> out = new LinkedHashMap<>();
        for (Stanza s : snapshots) {
            String interval = null;
            int retain = 1;
            String targetType = null;
            Map<String, String> target = new LinkedHashMap<>();
            for (Entry e : s.body().entries()) {
                String key = s.path() + "." + e.key();
                switch (e.key()) {
                    case "interval" -> interval = Values.parameter(e.value(), key);
                    case "retain" -> {
                        String v = Values.parameter(e.value(), key);
                        try {
                            retain = (int) Double.parseDouble(v);
                        } catch (NumberFormatException x) {
                            throw ConfigException.at(e.position().origin(), key + " must be a number, got \"" + v + "\"");
                        }
                    }
                    case "target" -> {
                        if (targetType != null) {
                            throw ConfigException.at(e.position().origin(), s.path() + " has two target blocks; one per schedule");
                        }
                        if (e.labels().size() != 1 || !(e.value() instanceof ObjectNode body)) {
                            throw ConfigException.at(e.position().origin(), key + " must be a block such as target \"s3\" { ... }");
                        }
                        targetType = e.labels().get(0);
                        for (Entry t : body.entries()) {
                            target.put(t.key(), Values.parameter(t.value(), key + "." + t.key()));
                        }
                    }
                    default -> throw ConfigException.at(e.position().origin(), "unknown key " + key
                            + "; a snapshot stanza takes interval, retain and one target \"TYPE\" { ... } block");
                }
            }
            if (interval == null) {
                throw ConfigException.at(s.position().origin(), s.path() + ".interval is required, e.g. interval = \"24h\"");
            }
            if (targetType == null) {
                throw ConfigException.at(s.position().origin(), s.path() + " needs a target block, e.g. target \"local\" { path = \"/backups\" }");
            }
            if (out.containsKey(s.type())) {
                throw ConfigException.at(s.position().origin(), "snapshot \"" + s.type() + "\" is defined twice");
            }
            try {
                out.put(s.type(), new SnapshotSchedule(s.type(), Durations.parse(interval), retain, targetType, target,
                        SnapshotSchedule.SOURCE_CONFIG));
            } catch (IllegalArgumentException x) {
                throw ConfigException.at(s.position().origin(), x.getMessage());
            }
        }
        return List.copyOf(out.values());
    }

    private StorageConfig single(List<Stanza> found, String name, boolean required) {
        if (found.size() > 1) {
            throw ConfigException.at(found.get(1).position().origin(), name + " is defined twice (first at "
                    + found.get(0).position().origin() + "); keep exactly one " + name + " stanza across all files");
        }
        if (found.isEmpty()) {
            if (required) {
                throw new ConfigException("no storage configured; add a storage \"file\" { path = \"...\" } stanza"
                        + " (or another storage type), or start the server in dev mode");
            }
            return null;
        }
        Stanza s = found.get(0);
        Stanza.Params p = s.params();
        return new StorageConfig(s.type(), p.values(), s.position().origin(), p.origins());
    }

    private static SealConfig seal(Stanza s) {
        boolean disabled = false;
        for (Entry e : s.body().entries()) {
            if (e.key().equals("disabled")) {
                disabled = Values.bool(e.value(), s.path() + ".disabled");
            }
        }
        Stanza.Params p = s.params();
        Map<String, String> params = new LinkedHashMap<>(p.values());
        Map<String, Origin> origins = new LinkedHashMap<>(p.origins());
        params.remove("disabled");
        origins.remove("disabled");
        String name = params.remove("name");
        origins.remove("name");
        Origin priorityOrigin = origins.remove("priority");
        String priorityText = params.remove("priority");
        int priority = 0;
        if (priorityText != null) {
            try {
                priority = Integer.parseInt(priorityText.strip());
            } catch (NumberFormatException e) {
                priority = -1;
            }
            if (priority < 1) {
                throw ConfigException.at(priorityOrigin, s.path() + ".priority must be a whole number from 1 (tried "
                        + "first), got \"" + priorityText + "\"");
            }
        }
        return new SealConfig(s.type(), disabled, params, s.position().origin(), origins, name, priority);
    }

    private String logLevel() {
        String level = LOG_LEVELS.get(text("log_level", "info").strip().toLowerCase(Locale.ROOT));
        if (level == null) {
            throw Values.wrongType(settings.get("log_level").value(), "log_level", "one of trace, debug, info, warn, error");
        }
        return level;
    }

    private String logFormat() {
        String format = text("log_format", "standard").strip().toLowerCase(Locale.ROOT);
        if (!format.equals("standard") && !format.equals("json")) {
            throw Values.wrongType(settings.get("log_format").value(), "log_format", "\"standard\" or \"json\"");
        }
        return format;
    }

    private Duration ttl(String key) {
        if (!settings.containsKey(key)) {
            return ServerConfig.DEFAULT_LEASE_TTL;
        }
        Duration d = Values.duration(settings.get(key).value(), key);
        if (d.isNegative() || d.isZero()) {
            throw Values.wrongType(settings.get(key).value(), key, "a positive duration such as \"768h\"");
        }
        return d;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private boolean bool(String key, boolean fallback) {
        return settings.containsKey(key) ? Values.bool(settings.get(key).value(), key) : fallback;
    }

    private String text(String key, String fallback) {
        return settings.containsKey(key) ? Values.string(settings.get(key).value(), key) : fallback;
    }

    private String where(String key) {
        return settings.containsKey(key) ? settings.get(key).position().origin() + ": " : "";
    }
}
