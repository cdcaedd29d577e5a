package dev.coffer.server;

import dev.coffer.core.AutoUnsealer;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.core.Version;
import dev.coffer.hcl.ConfigException;
import dev.coffer.server.config.ConfigLoader;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.server.config.SealConfig;
import dev.coffer.server.config.ServerConfig;
import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.KmsWrappers;
import dev.coffer.seal.MultiSeal;
import dev.coffer.seal.SealException;
import dev.coffer.snapshot.auto.SnapshotScheduler;
import dev.coffer.snapshot.auto.SnapshotTargets;
import java.time.Duration;
import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.StorageFactories;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of {@code coffer server}: loads the config, opens storage, starts the listeners, blocks. */
public final class CofferServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CofferServer.class);

    private final Core core;
    private final List<Listener> listeners;
    private final AutoUnsealer unsealer;

    private CofferServer(Core core, List<Listener> listeners, AutoUnsealer unsealer) {
        this.core = core;
        this.listeners = listeners;
        this.unsealer = unsealer;
    }

    /** Starts the server and blocks until the process is asked to stop; returns the process exit code. */
    public static int run(ServerOptions options) {
        return run(options, System.out, System.err);
    }

    static int run(ServerOptions options, PrintStream out, PrintStream err) {
        CofferServer server;
        try {
            server = start(options, out);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("Error starting the server: " + e.getMessage());
            LOG.debug("startup failure", e);
            return 1;
        }
        Sighup.install(() -> server.core().auditBroker().reopen());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutdown requested; sealing and stopping listeners");
            server.close();
            stopped.countDown();
        }, "coffer-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Starts everything and returns without blocking (tests and the benchmark use this). */
    public static CofferServer start(ServerOptions options, PrintStream out) {
        ServerConfig config = options.dev() ? DevMode.config(options) : ConfigLoader.load(options.configPaths());
        LogSetup.configure(options.logLevel() != null ? options.logLevel() : config.logLevel(), config.logFormat());
        config.warnings().forEach(w -> LOG.warn("config: {}", w));
        if (config.listeners().stream().anyMatch(l -> l.tlsDisable()) && !options.dev()) {
            LOG.warn("a listener has tls_disable set: tokens and secrets cross the network in clear text");
        }
        KmsWrapper autoSeal = autoSeal(config);
        KmsWrapper previousSeal = kms(config.disabledSeal());
        StorageBackend storage = StorageFactories.create(config.storage().type(), config.storage().params());
        Core core = new Core(new CoreOptions(storage, config.storage().type(), config.clusterName(), advertisedApiAddr(config,
                storage), config.clusterAddr(), null, null, null, autoSeal, SealHealthInterval.fromEnvironment(System.getenv()),
                previousSeal).withCacheSize(config.readCacheEntries()));
        checkSeal(core);
        SnapshotTargets snapshotTargets = SnapshotTargets.discover();
        for (var schedule : config.snapshots()) {
            try (var ignored = snapshotTargets.create(schedule.targetType(), schedule.target())) {
                // the target's attributes are valid; it is contacted only when the schedule runs
            } catch (IllegalArgumentException e) {
                core.close();
                throw new ConfigException("snapshot \"" + schedule.name() + "\": " + e.getMessage());
            }
        }
        core.addActiveService(new SnapshotScheduler(core, config.snapshots(), snapshotTargets, java.time.Clock.systemUTC(),
                Duration.ofSeconds(10)));
        Core.DevInit dev = options.dev() && !core.initialized() ? core.devInit(options.devRootTokenId()) : null;
        List<Listener> listeners = new ArrayList<>();
        try {
            for (ListenerConfig lc : config.listeners()) {
                String apiAddr = config.apiAddr();
                Listener l = Listener.start(lc, core, apiAddr, config.clusterAddr());
                listeners.add(l);
                LOG.info("listening on {} (tls {})", l.url(), lc.tlsDisable() ? "disabled" : "enabled");
            }
        } catch (RuntimeException e) {
            listeners.forEach(Listener::close);
            core.close();
            throw e;
        }
        AutoUnsealer unsealer = autoSeal == null && previousSeal == null ? null
                : new AutoUnsealer(core, Duration.ofSeconds(1), Duration.ofSeconds(30)).start();
        CofferServer server = new CofferServer(core, listeners, unsealer);
        printBanner(out, config, server, dev);
        return server;
    }

    /**
     * {@code api_addr}; with HA and none configured, the first listener's address, since standbys forward to and
     * redirect clients to it (warns: 0.0.0.0 or a NAT'd address must be set explicitly).
     */
    private static String advertisedApiAddr(ServerConfig config, StorageBackend storage) {
        if (config.apiAddr() != null || !(storage instanceof dev.coffer.storage.HaBackend ha && ha.haEnabled())
                || config.listeners().isEmpty()) {
            return config.apiAddr();
        }
        ListenerConfig first = config.listeners().get(0);
        String derived = (first.tlsDisable() ? "http://" : "https://") + first.address();
        LOG.warn("HA is enabled but api_addr is not set; advertising {} to the other nodes. Set api_addr to the address"
                + " clients and other nodes can reach this node at", derived);
        return derived;
    }

    /**
     * The seal that wraps the root key: one KMS, or with {@code enable_multiseal} every active seal together
     * ({@link MultiSeal}: each wraps a copy, any one unseals, tried in priority order); null for Shamir.
     */
    private static KmsWrapper autoSeal(ServerConfig config) {
        List<SealConfig> seals = config.activeSeals();
        if (seals.isEmpty() || (!config.enableMultiseal() && seals.size() == 1)) {
            return kms(config.activeSeal());
        }
        List<MultiSeal.Member> members = new ArrayList<>();
        try {
            for (SealConfig s : seals) {
                // a lone seal under enable_multiseal may leave out its priority
                members.add(new MultiSeal.Member(s.name(), s.priority() > 0 ? s.priority() : 1, kms(s)));
            }
        } catch (RuntimeException e) {
            members.forEach(m -> m.wrapper().close());
            throw e;
        }
        LOG.info("several seals (enable_multiseal), tried in this order: {}", String.join(", ", members.stream()
                .map(m -> m.name() + " (" + m.type() + ")").toList()));
        return new MultiSeal(members);
    }

    /**
     * The KMS of a seal stanza, or null (no stanza: Shamir). The active stanza wraps the root key; a
     * {@code disabled = "true"} stanza is the seal being migrated away from: its KMS still unwraps the stored root
     * key and recovery key until {@code operator unseal -migrate} completes.
     */
    private static KmsWrapper kms(SealConfig seal) {
        if (seal == null) {
            return null;
        }
        try {
            return KmsWrappers.create(seal.type(), seal.params());
        } catch (SealException e) {
            throw new IllegalArgumentException(seal.origin() + ": seal \"" + seal.type() + "\""
                    + (seal.name().equals(seal.type()) ? "" : " (name \"" + seal.name() + "\")") + (seal.disabled()
                    ? " (disabled, the seal being migrated from)" : "") + ": " + e.getMessage(), e);
        }
    }

    /**
     * Compares the storage's seal with the configuration at startup, so that a pending migration or a missing old
     * seal is logged at once (the core logs it); storage that is not reachable yet is checked on first use instead.
     */
    private static void checkSeal(Core core) {
        try {
            if (core.initialized()) {
                core.sealStatus();
            }
        } catch (RuntimeException e) {
            LOG.debug("seal check deferred: {}", e.getMessage());
        }
    }

    private static void printBanner(PrintStream out, ServerConfig config, CofferServer server, Core.DevInit dev) {
        out.println("==> Coffer server configuration:");
        out.println();
        out.printf("%20s: %s%n", "Storage", config.storage().type());
        out.printf("%20s: %s%n", "Seal Type", server.core.sealType());
        out.printf("%20s: %s%n", "Listener", String.join(", ", server.listeners.stream().map(Listener::url).toList()));
        out.printf("%20s: %s%n", "Api Address", config.apiAddr() == null ? server.url() : config.apiAddr());
        out.printf("%20s: %s%n", "Cluster Address", config.clusterAddr() == null ? "" : config.clusterAddr());
        out.printf("%20s: %s%n", "Log Level", config.logLevel() == null ? "info" : config.logLevel());
        out.printf("%20s: %s%n", "Version", "Coffer v" + Version.VERSION);
        out.println();
        if (dev != null) {
            DevMode.printDevBanner(out, server.url(), dev);
        }
        out.println("==> Coffer server started! Log data will stream in below:");
        out.println();
        out.flush();
    }

    public Core core() {
        return core;
    }

    /** The first listener's URL. */
    public String url() {
        return listeners.get(0).url();
    }

    @Override
    public void close() {
        if (unsealer != null) {
            unsealer.close();
        }
        listeners.forEach(Listener::close);
        core.activeService(SnapshotScheduler.class).ifPresent(SnapshotScheduler::close);
        core.close();
    }
}
