package dev.coffer.core;

import dev.coffer.CofferException;
import dev.coffer.barrier.SecurityBarrier;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Work only the active node does while unsealed: for now, the periodic keyring rotation check. */
final class BackgroundJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundJobs.class);

    private final SecurityBarrier barrier;
    private final Duration rotationCheckInterval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coffer-background");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> rotationCheck;

    BackgroundJobs(SecurityBarrier barrier, Duration rotationCheckInterval) {
        this.barrier = barrier;
        this.rotationCheckInterval = rotationCheckInterval;
    }

    synchronized void start() {
        stop();
        long ms = rotationCheckInterval.toMillis();
        rotationCheck = scheduler.scheduleWithFixedDelay(this::checkRotation, ms, ms, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (rotationCheck != null) {
            rotationCheck.cancel(false);
            rotationCheck = null;
        }
    }

    private void checkRotation() {
        try {
            if (barrier.rotateIfDue()) {
                LOG.info("keyring rotated automatically; new term {}", barrier.keyStatus().term());
            }
        } catch (CofferException.Sealed e) {
            // sealed between checks: nothing to rotate
        } catch (RuntimeException e) {
            LOG.warn("automatic keyring rotation check failed, will retry in {}: {}", rotationCheckInterval, e.toString());
        }
    }

    @Override
    public void close() {
        stop();
        scheduler.shutdownNow();
    }
}
