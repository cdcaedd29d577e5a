package dev.coffer.core;

import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.MultiSeal;
import dev.coffer.seal.SealException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the auto seal's KMS (each of them with {@code enable_multiseal}) while the node is unsealed. A failing
 * KMS never seals the node (the root key is already in memory); it only makes that seal unhealthy in
 * {@code sys/seal-backend-status} and logs one line when its health changes. Checks run every {@code interval},
 * and every tenth of it while some seal is unhealthy. With several seals, the outcome of every unseal attempt
 * counts too, so a seal that failed at startup shows as unhealthy at once.
 */
public final class SealHealthMonitor implements AutoCloseable, MultiSeal.Observer {
    private static final Logger LOG = LoggerFactory.getLogger(SealHealthMonitor.class);

    /** The seal's health as last checked. {@code unhealthySince} and {@code lastError} are null when healthy. */
    public record Health(boolean healthy, Instant lastChecked, Instant unhealthySince, String lastError) {
    }

    /** One seal's health: its name ({@code name =}, by default the type), type and priority (1 = tried first). */
    public record Backend(String name, String type, int priority, Health health) {
    }

    private final List<MultiSeal.Member> members;
    private final boolean multi;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coffer-seal-health");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Health> health = new ConcurrentHashMap<>();
    private ScheduledFuture<?> next;
    private volatile Runnable onRecovered = () -> { };

    SealHealthMonitor(KmsWrapper kms, Duration interval, Clock clock) {
        if (kms instanceof MultiSeal ms) {
            this.members = ms.members();
            this.multi = true;
            ms.observe(this);
        } else {
            this.members = List.of(new MultiSeal.Member(kms.type(), 1, kms));
            this.multi = false;
        }
        this.interval = interval;
        this.clock = clock;
        members.forEach(m -> health.put(m.name(), new Health(true, null, null, null)));
    }

    /** Runs after a check finds a seal healthy again that was not (e.g. to give it its copy of the root key). */
    void onRecovered(Runnable action) {
        onRecovered = action;
    }

    synchronized void start() {
        stop();
        schedule(Duration.ZERO);
    }

    synchronized void stop() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    /** All seals together: healthy when every one is; the earliest {@code unhealthySince} and each error. */
    public Health health() {
        List<Backend> all = backends();
        Instant lastChecked = null;
        Instant since = null;
        List<String> errors = new ArrayList<>();
        for (Backend b : all) {
            Health h = b.health();
            lastChecked = later(lastChecked, h.lastChecked());
            if (!h.healthy()) {
                since = since == null || (h.unhealthySince() != null && h.unhealthySince().isBefore(since))
                        ? h.unhealthySince() : since;
                errors.add(multi ? "seal \"" + b.name() + "\": " + h.lastError() : h.lastError());
            }
        }
        return new Health(errors.isEmpty(), lastChecked, since, errors.isEmpty() ? null : String.join("; ", errors));
    }

    /** Each seal's health, in priority order. */
    public List<Backend> backends() {
        return members.stream().map(m -> new Backend(m.name(), m.type(), m.priority(), health.get(m.name()))).toList();
    }

    /** Whether several seals are configured ({@code enable_multiseal}). */
    public boolean multiseal() {
        return multi;
    }

    /** Runs one check of every seal now; also what the schedule runs. */
    public Health check() {
        boolean recovered = false;
        for (MultiSeal.Member m : members) {
            Health before = health.get(m.name());
            try {
                m.wrapper().healthCheck();
                succeeded(m.name());
            } catch (SealException e) {
                failed(m.name(), e);
            }
            recovered |= !before.healthy() && health.get(m.name()).healthy();
        }
        if (recovered) {
            try {
                onRecovered.run();
            } catch (RuntimeException e) {
                LOG.warn("after a seal recovered: {}", e.getMessage());
            }
        }
        return health();
    }

    @Override
    public void succeeded(String name) {
        Health before = health.get(name);
        health.put(name, new Health(true, clock.instant(), null, null));
        if (before != null && !before.healthy()) {
            LOG.info("{} is healthy again", label(name));
        }
    }

    @Override
    public void failed(String name, SealException e) {
        Instant now = clock.instant();
        Health before = health.get(name);
        boolean wasHealthy = before == null || before.healthy();
        health.put(name, new Health(false, now, wasHealthy ? now : before.unhealthySince(), e.reason() + ": " + e.getMessage()));
        if (wasHealthy) {
            LOG.warn("{} is unhealthy ({}): {}; {}", label(name), e.reason(), e.getMessage(), multi
                    ? "the other seals keep the node able to unseal; fix it so that it does not become the last one"
                    : "the node stays unsealed and keeps serving");
        }
    }

    private String label(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst()
                .map(m -> multi ? "seal \"" + m.name() + "\" (" + m.type() + ")" : "the " + m.type() + " seal")
                .orElse(name);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private synchronized void schedule(Duration delay) {
        next = scheduler.schedule(() -> {
            Health h = check();
            synchronized (this) {
                if (next != null) {
                    schedule(h.healthy() ? interval : interval.dividedBy(10));
                }
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        stop();
        scheduler.shutdownNow();
    }
}
