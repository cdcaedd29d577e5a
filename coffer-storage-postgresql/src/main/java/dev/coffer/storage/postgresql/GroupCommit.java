package dev.coffer.storage.postgresql;

import dev.coffer.CofferException;
import dev.coffer.storage.StorageBackend.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of the backend's writes: concurrent requests' batches share one fenced statement and one commit.
 *
 * <p>Every write (put, delete, {@code writeAll}) is queued as one <em>batch</em>. At most {@link #statements}
 * statements run at a time; a writer that finds a free slot becomes the <em>combiner</em> and takes every queued
 * batch of the same HA tenure (up to {@link #MAX_ENTRIES} entries and {@link #MAX_BYTES} bytes), runs them as one
 * statement ({@link PostgresBatch}), and wakes their writers. A writer with no free slot parks until its batch is
 * done or a slot frees up. With one writer at a time nothing waits: a lone batch is its own group.
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
 * </ul>
 */
final class GroupCommit {

    /**
     * Writes per statement, counted as queued (a key written twice counts twice; the statement holds it once): large
     * enough to absorb any realistic queue, small enough to plan and send quickly.
     */
    static final int MAX_ENTRIES = 1024;
    /** Value bytes per statement: a huge batch runs alone rather than holding up a group. */
    static final long MAX_BYTES = 4L << 20;
    /** Times a group is run again after a deadlock or serialization failure (nothing was applied). */
    private static final int RETRIES = 3;

    private final PostgresBackend backend;
    private final Semaphore slots;
    private final int statements;
    /** Writers add without a lock; combiners take under {@link #takeLock}. */
    private final ConcurrentLinkedQueue<Batch> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock takeLock = new ReentrantLock();
    /** A batch taken that did not fit its group: the first of the next one (guarded by takeLock). */
    private volatile Batch carried;
    private final LongAdder statementsRun = new LongAdder();

    GroupCommit(PostgresBackend backend, int statements) {
        if (statements < 1) {
            throw new IllegalArgumentException("statements must be at least 1");
        }
        this.backend = backend;
        this.statements = statements;
        this.slots = new Semaphore(statements);
    }

    int statements() {
        return statements;
    }

    /** Statements run so far (each one commit), for tests and the benchmark. */
    long statementsRun() {
        return statementsRun.sum();
    }

    /** Batches waiting for a statement, for tests. */
    int queued() {
        return queue.size() + (carried == null ? 0 : 1);
    }

    /** The statement slots, for tests that hold them to make writers queue. */
    Semaphore slots() {
        return slots;
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
        Batch batch = new Batch(writes, fence);
        queue.add(batch);
        boolean interrupted = false;
        while (!batch.done) {
            if (slots.tryAcquire()) {
                try {
                    runGroup();
                } finally {
                    slots.release();
                }
                wakeNext();
            } else {
                LockSupport.park(this);
                // the batch is queued and will be written whatever happens: remember an interrupt, finish first
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (batch.failure != null) {
            throw batch.failure;
        }
    }

    /** As after a freed slot: tests that held every slot themselves release them and call this. */
    void wakeNextForTest() {
        wakeNext();
    }

    /** A slot was freed: the oldest waiting writer (if any) takes it, or finds its batch written meanwhile. */
    private void wakeNext() {
        Batch next = carried;
        if (next == null) {
            next = queue.peek();
        }
        if (next != null) {
            LockSupport.unpark(next.writer);
        }
    }

    private void runGroup() {
        List<Batch> group = take();
        if (group.isEmpty()) {
            return;
        }
        run(group);
    }

    /** The oldest batch and every following one of the same tenure that fits. */
    private List<Batch> take() {
        List<Batch> group = new ArrayList<>();
        takeLock.lock();
        try {
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
        } finally {
            takeLock.unlock();
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
