package dev.coffer.core;

import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.SealException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the auto seal's KMS while the node is unsealed. A failing KMS never seals the node (the root key is
 * already in memory); it only makes the seal unhealthy in {@code sys/seal-backend-status} and logs one line
 * when health changes. Checks run every {@code interval}, and every tenth of it while unhealthy.
 */
public final class SealHealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SealHealthMonitor.class);

    /** The seal's health as last checked. {@code unhealthySince} and {@code lastError} are null when healthy. */
    public record Health(boolean healthy, Instant lastChecked, Instant unhealthySince, String lastError) {
    }

    private final KmsWrapper kms;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coffer-seal-health");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> next;
    private volatile Health health;

    SealHealthMonitor(KmsWrapper kms, Duration interval, Clock clock) {
        this.kms = kms;
        this.interval = interval;
        this.clock = clock;
        this.health = new Health(true, null, null, null);
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

    public Health health() {
        return health;
    }

    /** Runs one check now; also what the schedule runs. */
    public Health check() {
        Instant now = clock.instant();
        Health before = health;
        try {
            kms.healthCheck();
            health = new Health(true, now, null, null);
            if (!before.healthy()) {
                LOG.info("the {} seal is healthy again", kms.type());
            }
        } catch (SealException e) {
            health = new Health(false, now, before.healthy() ? now : before.unhealthySince(), e.reason() + ": " + e.getMessage());
            if (before.healthy()) {
                LOG.warn("the {} seal is unhealthy ({}): {}; the node stays unsealed and keeps serving", kms.type(),
                        e.reason(), e.getMessage());
            }
        }
        return health;
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
