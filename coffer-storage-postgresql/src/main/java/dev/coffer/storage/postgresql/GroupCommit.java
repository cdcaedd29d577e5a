package dev.coffer.storage.postgresql;

import dev.coffer.CofferException;
import dev.coffer.storage.StorageBackend.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of the backend's writes: concurrent requests' batches share one fenced statement and one commit.
 *
 * <p>Every write (put, delete, {@code writeAll}) is queued as one <em>batch</em> and its writer parks. One platform
 * thread per backend, the <em>committer</em>, takes the oldest batch and every queued batch of the same HA tenure
 * behind it (up to {@link #MAX_ENTRIES} entries and {@link #MAX_BYTES} bytes), runs them as one statement
 * ({@link PostgresBatch}), wakes their writers, and takes the next group at once. With one writer at a time a lone
 * batch is its own group. The committer is a thread of its own rather than one of the writers (ADR 0019): a writer
 * is a virtual thread, and when it was the one to run the next group it first waited its turn behind every request
 * made runnable by the previous commit, while PostgreSQL sat idle; the committer blocks in the socket read itself
 * and is running again as soon as PostgreSQL answers.
 *
 * <p>Why this is safe:
 * <ul>
 *   <li><b>Atomic per batch.</b> The group is one statement, so each batch in it is applied whole or not at all
 *       (the group as a whole is).</li>
 *   <li><b>Order.</b> Batches in one group were all waiting at the same time, so none of them returned before
 *       another was sent: applying them in queue order is a valid order, and the last write of a key wins, as
 *       within one batch. A batch queued after another returned runs in a later group.</li>
 *   <li><b>Fencing.</b> A group only holds batches queued under the same tenure, and the statement checks that
 *       tenure in PostgreSQL, as a lone write does.</li>
 *   <li><b>Failures.</b> A failure that says nothing was applied and is not the batch's fault (a deadlock between
 *       two groups, a serialization failure) runs the group again. A data error (a value the database refuses)
 *       runs each batch of the group alone, so only the guilty batch fails. A lost connection or a lost lease
 *       fails every batch of the group with the same error: the outcome is unknown or refused for all of them,
 *       exactly as for a lone write.</li>
 *   <li><b>No durability change.</b> A writer returns only after the commit its batch was part of.</li>
 *   <li><b>Closing.</b> Batches queued before {@link #close} are still written (or fail as the pool closes);
 *       a write after it fails at once.</li>
 * </ul>
 */
final class GroupCommit implements AutoCloseable {

    /**
     * Writes per statement, counted as queued (a key written twice counts twice; the statement holds it once): large
     * enough to absorb any realistic queue, small enough to plan and send quickly.
     */
    static final int MAX_ENTRIES = 1024;
    /** Value bytes per statement: a huge batch runs alone rather than holding up a group. */
    static final long MAX_BYTES = 4L << 20;
    /** Times a group is run again after a deadlock or serialization failure (nothing was applied). */
    private static final int RETRIES = 3;
    private static final AtomicInteger COMMITTERS = new AtomicInteger();
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final PostgresBackend backend;
    /** Writers add without a lock; only the committer takes. */
    private final ConcurrentLinkedQueue<Batch> queue = new ConcurrentLinkedQueue<>();
    /** A batch taken that did not fit its group: the first of the next one (written by the committer only). */
    private volatile Batch carried;
    private final LongAdder statementsRun = new LongAdder();
    /** Held by the committer while it takes and runs a group; tests hold it to make writers queue. */
    private final Semaphore running = new Semaphore(1);
    private final Thread committer;
    /** The committer found nothing to do and parks (or is about to): a writer that queues wakes it. */
    private volatile boolean idle;
    private volatile boolean closed;

    GroupCommit(PostgresBackend backend) {
        this.backend = backend;
        this.committer = Thread.ofPlatform().daemon().name("coffer-postgresql-commit-" + COMMITTERS.incrementAndGet())
                .unstarted(this::commitLoop);
    }

    /** Starts the committer (once, after the backend is built). */
    void start() {
        committer.start();
    }

    /** Statements run so far (each one commit), for tests and the benchmark. */
    long statementsRun() {
        return statementsRun.sum();
    }

    /** Batches waiting for a statement, for tests. */
    int queued() {
        return queue.size() + (carried == null ? 0 : 1);
    }

    /** Whether {@link #close} was called, for tests. */
    boolean closed() {
        return closed;
    }

    /** Held by the committer while it runs a group: tests that hold it make writers queue. */
    Semaphore running() {
        return running;
    }

    /** One writer's batch: its writes in order (a key may repeat; the statement keeps its last) and its tenure. */
    static final class Batch {
        final List<Write> writes;
        final PostgresBackend.Fence fence;
        final long bytes;
        final Thread writer = Thread.currentThread();
        private volatile boolean done;
        private RuntimeException failure; // published by the volatile write of done

        Batch(List<Write> writes, PostgresBackend.Fence fence) {
            this.writes = writes;
            this.fence = fence;
            long total = 0;
            for (Write write : writes) {
                total += write.isDelete() ? 0 : write.value().length;
            }
            this.bytes = total;
        }

        void complete(RuntimeException error) {
            failure = error;
            done = true;
            LockSupport.unpark(writer);
        }
    }

    /** Applies {@code writes} atomically, the last write of a key winning; returns after the commit. */
    void write(List<Write> writes, PostgresBackend.Fence fence) {
        if (closed) {
            throw closedFailure();
        }
        Batch batch = new Batch(writes, fence);
        queue.add(batch);
        if (closed && queue.remove(batch)) {
            // closed meanwhile and the committer may be gone: not written (a batch it took is written or failed)
            throw closedFailure();
        }
        if (idle) {
            idle = false;
            LockSupport.unpark(committer);
        }
        boolean interrupted = false;
        while (!batch.done) {
            LockSupport.park(this);
            // the batch is queued and will be written whatever happens: remember an interrupt, finish first
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (batch.failure != null) {
            throw batch.failure;
        }
    }

    /** Lets the committer finish what is queued (waiting up to 10 s), then stops it; later writes fail at once. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(committer);
        if (committer.isAlive() && Thread.currentThread() != committer) {
            try {
                committer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static CofferException.StorageFailure closedFailure() {
        return new CofferException.StorageFailure("storage \"postgresql\": the backend is closed (the node is"
                + " shutting down); nothing was written", null);
    }

    private void commitLoop() {
        while (true) {
            boolean ran;
            running.acquireUninterruptibly();
            try {
                ran = runGroup();
            } catch (Throwable e) {
                // run() completes its group before anything escapes; the committer must outlive any failure
                LOG.error("storage postgresql: the group commit thread caught an unexpected error", e);
                ran = true;
            } finally {
                running.release();
            }
            if (!ran) {
                if (closed) {
                    // a writer that saw "not closed" queued before close() set it: its batch is visible now
                    if (queue.isEmpty() && carried == null) {
                        return;
                    }
                    continue;
                }
                idle = true;
                // re-checked after announcing idle: a writer that queued before it saw idle false and did not wake us
                if (queue.isEmpty() && carried == null && !closed) {
                    LockSupport.park(this);
                }
                idle = false;
            }
        }
    }

    /** Runs the next group; false when nothing was queued. */
    private boolean runGroup() {
        List<Batch> group = take();
        if (group.isEmpty()) {
            return false;
        }
        run(group);
        return true;
    }

    /** The oldest batch and every following one of the same tenure that fits. */
    private List<Batch> take() {
        List<Batch> group = new ArrayList<>();
        Batch first = carried != null ? carried : queue.poll();
        carried = null;
        if (first == null) {
            return group;
        }
        group.add(first);
        int entries = first.writes.size();
        long bytes = first.bytes;
        Batch next;
        while ((next = queue.poll()) != null) {
            if (next.fence != first.fence || entries + next.writes.size() > MAX_ENTRIES
                    || bytes + next.bytes > MAX_BYTES) {
                carried = next;
                break;
            }
            group.add(next);
            entries += next.writes.size();
            bytes += next.bytes;
        }
        return group;
    }

    private void run(List<Batch> group) {
        for (int attempt = 0; ; attempt++) {
            try {
                statementsRun.increment();
                PostgresBatch.execute(backend, group.get(0).fence, writesOf(group), group.size());
                complete(group, null);
                return;
            } catch (PostgresBatch.NothingApplied e) {
                if (e.retryable() && attempt < RETRIES) {
                    continue;
                }
                if (group.size() > 1 && !e.retryable()) {
                    // a data error: find the guilty batch by running each alone
                    for (Batch batch : group) {
                        run(List.of(batch));
                    }
                    return;
                }
                complete(group, e.failure());
                return;
            } catch (CofferException.StorageFailure e) {
                complete(group, e);
                return;
            } catch (RuntimeException | Error e) {
                complete(group, new CofferException.StorageFailure("storage \"postgresql\": write failed: " + e, e));
                if (e instanceof Error error) {
                    throw error;
                }
                return;
            }
        }
    }

    private static List<Write> writesOf(List<Batch> group) {
        if (group.size() == 1) {
            return group.get(0).writes;
        }
        List<Write> all = new ArrayList<>();
        for (Batch batch : group) {
            all.addAll(batch.writes);
        }
        return all;
    }

    private static void complete(List<Batch> group, RuntimeException failure) {
        for (Batch batch : group) {
            batch.complete(failure);
        }
    }
}
