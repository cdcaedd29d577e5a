package dev.coffer.token;

import dev.coffer.CofferException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes expired tokens in the background while the node is unsealed and active. Lookups already refuse an
 * expired token on their own; the sweep removes tokens nobody presents again (and their children), so
 * storage does not keep dead entries. The schedule lives only in memory; what is expired is read from storage
 * each time, so a restart loses nothing.
 */
public final class ExpirationSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpirationSweeper.class);
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private final TokenStore tokens;
    private final Duration interval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coffer-token-expiration");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> task;

    public ExpirationSweeper(TokenStore tokens, Duration interval) {
        this.tokens = tokens;
        this.interval = interval;
    }

    public synchronized void start() {
        stop();
        long ms = interval.toMillis();
        task = scheduler.scheduleWithFixedDelay(this::sweep, 0, ms, TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void sweep() {
        try {
            tokens.sweepExpired();
        } catch (CofferException.Sealed e) {
            // sealed between runs: nothing to do until the next unseal
        } catch (RuntimeException e) {
            LOG.warn("expired-token sweep failed, will retry in {}: {}", interval, e.toString());
        }
    }

    @Override
    public void close() {
        stop();
        scheduler.shutdownNow();
    }
}
