package dev.coffer.storage;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * One node's handle on an HA lock. A tenure starts with a successful acquisition and ends with
 * {@link #release()} or with a loss (lease expired, renewal impossible, lock session gone).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>While {@link #held()} is true, no other handle holds the lock as seen by the store, up to the
 *       backend's documented clock margin; the holder gives up locally no later than the store would let a
 *       standby take over.</li>
 *   <li>{@link #lost()} of a tenure completes exactly once when that tenure ends, by loss or by release; after
 *       that {@link #held()} is false. A new tenure has a new future.</li>
 *   <li>{@link #fencingToken()} strictly increases from one tenure to the next, across all nodes.</li>
 * </ul>
 * Handles are thread-safe. {@link #close()} releases.
 */
public interface HaLock extends AutoCloseable {

    /**
     * Tries to become the holder, retrying until {@code wait} has passed; {@code Duration.ZERO} tries once.
     * Returns true when held (also when already held by this handle).
     */
    boolean tryAcquire(Duration wait) throws InterruptedException;

    /** Blocks, retrying at the backend's retry interval, until held. */
    void acquire() throws InterruptedException;

    /** Ends the tenure (step-down) so a standby may take over at once; does nothing when not held. */
    void release();

    /** Whether this handle currently holds the lock (as far as this node can tell). */
    boolean held();

    /** Completes when the current (or, when not held, the latest) tenure ends; already complete before any. */
    CompletableFuture<Void> lost();

    /** The current tenure's fencing token (its generation); empty when not held. */
    OptionalLong fencingToken();

    /** Who holds the lock now, read from the store; empty when nobody holds a valid lease. */
    Optional<LeaderInfo> currentHolder();

    @Override
    default void close() {
        release();
    }

    /** The holder of a lock as recorded in the store. */
    record LeaderInfo(String identity, String value, long fencingToken) {
    }
}
