package dev.coffer.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node from leaving the active state while requests it accepted as the active node still run. Requests
 * pass the gate shared; stepping down (lock lost or given up) closes it exclusively, so every request that
 * started under a tenure has finished before the lock is released, and with it the storage fence that refuses
 * writes of a lost tenure. Without it, a request that started just before the loss could write after the
 * release, unfenced, while another node is already active.
 */
final class ActiveGate {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveGate.class);

    /** Fair, so a waiting step-down is not starved by a stream of new requests. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
    private final Duration drainTimeout;

    ActiveGate(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    /** One request's passage through the gate; closing it lets a waiting step-down proceed. */
    interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /** Held by one request for as long as it runs: use it in a try-with-resources. */
    Pass enter() {
        lock.readLock().lock();
        return lock.readLock()::unlock;
    }

    /**
     * Waits until no request is inside, then runs {@code change} with the gate closed. A request that does not
     * finish within the drain timeout is logged and left running (its writes are refused while the fence of the
     * lost tenure stands).
     */
    void drainThen(Runnable change) {
        boolean closed = false;
        try {
            closed = lock.writeLock().tryLock(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!closed) {
                LOG.warn("stepping down while {} request(s) still run after {} ms; their storage writes are refused",
                        lock.getReadLockCount(), drainTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            change.run();
        } finally {
            if (closed) {
                lock.writeLock().unlock();
            }
        }
    }
}
