package dev.coffer.audit;

import dev.coffer.CofferException;
import dev.coffer.barrier.SecurityBarrier;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enabled audit devices, and the {@link AuditSink} the core calls. Fails closed: when at least one device
 * is enabled, a request runs only if one of them recorded it. Changes to the device set are serialized on
 * {@code this}; logging reads an immutable snapshot, so requests never wait for an enable or disable.
 */
public final class AuditBroker implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(AuditBroker.class);
    static final String REQUEST_FAILED = "audit: no enabled audit device could record the request, so it was refused"
            + " and nothing changed; see the server log and fix or disable the failing audit device";
    static final String RESPONSE_FAILED = "audit: no enabled audit device could record the response; the request "
            + "itself was carried out; see the server log and fix or disable the failing audit device";

    private final AuditTable table;
    private final SecurityBarrier barrier;
    private final SecureRandom random;
    private final Clock clock;
    private final Function<LogicalRequest, String> mountTypeOf;
    private final Map<String, AuditDeviceFactory> factories = new ConcurrentHashMap<>();
    private volatile Map<String, EnabledDevice> devices = Map.of();
    private volatile AuditHasher hasher;

    /** {@code mountTypeOf} names the engine type serving a request (for {@code mount_type}), or null. */
    public AuditBroker(SecurityBarrier barrier, SecureRandom random, Clock clock,
                       Function<LogicalRequest, String> mountTypeOf) {
        this.table = new AuditTable(barrier);
        this.barrier = barrier;
        this.random = random;
        this.clock = clock;
        this.mountTypeOf = mountTypeOf;
        factories.put(FileAuditDevice.TYPE, FileAuditDevice::create);
    }

    /** Adds a device type (tests register failing devices this way). */
    public void registerFactory(String type, AuditDeviceFactory factory) {
        factories.put(type, factory);
    }

    /** Loads the salt and the audit table and opens every device; called once the barrier is unsealed. */
    public synchronized void load() {
        hasher = AuditSalt.loadOrCreate(barrier, random);
        Map<String, EnabledDevice> loaded = new LinkedHashMap<>();
        for (AuditDeviceConfig c : table.read()) {
            loaded.put(c.path(), new EnabledDevice(c, openOnLoad(c), hasher));
        }
        devices = Map.copyOf(loaded);
        if (!loaded.isEmpty()) {
            LOG.info("audit devices enabled: {}", loaded.keySet());
        }
    }

    /** Closes every device and forgets the salt (on seal). */
    public synchronized void unload() {
        Map<String, EnabledDevice> old = devices;
        devices = Map.of();
        hasher = null;
        old.values().forEach(d -> d.device().close());
    }

    /** Enables a device: 400 when the path is taken, the type unknown, or the device cannot write. */
    public synchronized AuditDeviceConfig enable(AuditDeviceConfig requested) {
        AuditHasher h = requireUnsealed();
        String path = AuditDeviceConfig.normalizePath(requested.path());
        if (devices.containsKey(path)) {
            throw new CofferException.BadRequest("path already in use: an audit device is enabled at " + path
                    + "; disable it first or choose another path");
        }
        AuditDeviceConfig config = new AuditDeviceConfig(path, requested.type(), requested.description(),
                requested.options(), requested.local());
        AuditDevice device = factory(config.type()).create(config);
        Map<String, EnabledDevice> next = new LinkedHashMap<>(devices);
        next.put(path, new EnabledDevice(config, device, h));
        try {
            table.write(configs(next));
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
        devices = Map.copyOf(next);
        LOG.info("enabled audit device {} (type {})", path, config.type());
        return config;
    }

    /** Disables the device at {@code path}; 400 when none is enabled there. */
    public synchronized void disable(String path) {
        requireUnsealed();
        String p = AuditDeviceConfig.normalizePath(path);
        Map<String, EnabledDevice> next = new LinkedHashMap<>(devices);
        EnabledDevice removed = next.remove(p);
        if (removed == null) {
            throw new CofferException.BadRequest("no audit device is enabled at " + p + "; see sys/audit for the list");
        }
        table.write(configs(next));
        devices = Map.copyOf(next);
        removed.device().close();
        LOG.info("disabled audit device {}", p);
    }

    /** The enabled devices, ordered by path. */
    public List<AuditDeviceConfig> list() {
        return configs(devices).stream().sorted(java.util.Comparator.comparing(AuditDeviceConfig::path)).toList();
    }

    /** {@code input} hashed as the device at {@code path} hashes values in its entries. */
    public String hash(String path, String input) {
        AuditHasher h = requireUnsealed();
        String p = AuditDeviceConfig.normalizePath(path);
        if (!devices.containsKey(p)) {
            throw new CofferException.BadRequest("no audit device is enabled at " + p + "; see sys/audit for the list");
        }
        return h.hash(input);
    }

    /**
     * Reopens every device's file (SIGHUP, after logrotate). Returns the paths of devices that could not
     * reopen; those keep trying on each write.
     */
    public List<String> reopen() {
        List<String> failed = new ArrayList<>();
        for (EnabledDevice d : devices.values()) {
            try {
                d.device().reopen();
            } catch (java.io.IOException | RuntimeException e) {
                LOG.error("audit device {} could not reopen its file: {}", d.config().path(), e.toString());
                failed.add(d.config().path());
            }
        }
        LOG.info("audit devices reopened ({} failed)", failed.size());
        return failed;
    }

    @Override
    public void logRequest(LogicalRequest request) {
        AuditEntry entry = new AuditEntry(AuditEntry.REQUEST, clock.instant(), request, mountTypeOf.apply(request),
                null, null);
        if (!record(entry)) {
            throw new CofferException.Internal(REQUEST_FAILED, null);
        }
    }

    @Override
    public void logResponse(LogicalRequest request, LogicalResponse response, CofferException error) {
        AuditEntry entry = new AuditEntry(AuditEntry.RESPONSE, clock.instant(), request, mountTypeOf.apply(request),
                response, error);
        if (!record(entry)) {
            throw new CofferException.Internal(RESPONSE_FAILED, null);
        }
    }

    /** True when no device is enabled or at least one recorded the entry. */
    private boolean record(AuditEntry entry) {
        Map<String, EnabledDevice> current = devices;
        boolean recorded = current.isEmpty();
        for (EnabledDevice d : current.values()) {
            recorded |= d.record(entry);
        }
        return recorded;
    }

    private AuditDevice openOnLoad(AuditDeviceConfig c) {
        AuditDeviceFactory f = factories.get(c.type());
        try {
            if (f == null) {
                throw new CofferException.BadRequest("unknown audit device type \"" + c.type() + "\"");
            }
            return f.create(c);
        } catch (RuntimeException e) {
            LOG.error("audit device {} could not be opened: {}; it stays enabled and retries on every request, so "
                    + "requests fail unless another device records them", c.path(), e.getMessage());
            return new RetryingDevice(c, f);
        }
    }

    private AuditDeviceFactory factory(String type) {
        AuditDeviceFactory f = type == null ? null : factories.get(type);
        if (f == null) {
            throw new CofferException.BadRequest("unknown audit device type \"" + type + "\"; supported: "
                    + new java.util.TreeSet<>(factories.keySet()));
        }
        return f;
    }

    private AuditHasher requireUnsealed() {
        AuditHasher h = hasher;
        if (h == null) {
            throw new CofferException.Sealed("Vault is sealed");
        }
        return h;
    }

    private static List<AuditDeviceConfig> configs(Map<String, EnabledDevice> m) {
        return m.values().stream().map(EnabledDevice::config).toList();
    }
}
