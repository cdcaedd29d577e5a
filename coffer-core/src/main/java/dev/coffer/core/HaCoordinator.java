package dev.coffer.core;

import dev.coffer.storage.HaLock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one unsealed node's HA life on its own thread: contend for the lock, become active when it is taken,
 * step down when it is lost (or on request) and contend again. Created at unseal, stopped at seal. The
 * node ({@link Core}) does the actual work of becoming active or standby; this class only decides when.
 */
final class HaCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HaCoordinator.class);

    /** What the coordinator drives: the node's transitions and its heartbeat. */
    interface Node {
        /** Becomes active; false when that is no longer wanted (sealed meanwhile) or failed. */
        boolean becomeActive(HaCoordinator coordinator);

        void becomeStandby(HaCoordinator coordinator);

        void heartbeat(HaNodeInfo self);
    }

    private final HaLock lock;
    private final Node node;
    private final HaNodeInfo self;
    private final Duration retryInterval;
    private final Duration stepDownBackoff;
    private final Duration heartbeatInterval;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean active;
    private volatile HaNodeInfo leader;
    private volatile CompletableFuture<Void> stepDown = new CompletableFuture<>();
    private long nextHeartbeatNanos;

    HaCoordinator(HaLock lock, Node node, HaNodeInfo self, Duration retryInterval, Duration stepDownBackoff,
                  Duration heartbeatInterval) {
        this.lock = lock;
        this.node = node;
        this.self = self;
        this.retryInterval = retryInterval;
        this.stepDownBackoff = stepDownBackoff;
        this.heartbeatInterval = heartbeatInterval;
        this.thread = new Thread(this::run, "coffer-ha");
        this.thread.setDaemon(true);
    }

    HaCoordinator start() {
        thread.start();
        return this;
    }

    /**
     * Active and the tenure not known to be lost: false as soon as the lock reports the loss, before this thread
     * has stepped down, so new requests are forwarded instead of served by a node whose writes are refused.
     */
    boolean active() {
        return active && lock.fencingToken().isPresent();
    }

    HaNodeInfo self() {
        return self;
    }

    /** The fencing token of this node's current tenure; empty on a standby. */
    java.util.OptionalLong generation() {
        return active ? lock.fencingToken() : java.util.OptionalLong.empty();
    }

    /** The active node as last read from the lock (refreshed every retry interval on a standby). */
    Optional<HaNodeInfo> leader() {
        return active() ? Optional.of(self) : Optional.ofNullable(leader);
    }

    /** Reads the holder from storage now (a standby whose cached leader stopped answering). */
    Optional<HaNodeInfo> refreshLeader() {
        if (active()) {
            return Optional.of(self);
        }
        try {
            leader = lock.currentHolder().flatMap(h -> HaNodeInfo.parse(h.value())).orElse(null);
        } catch (RuntimeException e) {
            LOG.debug("cannot read the HA lock holder: {}", e.getMessage());
            leader = null;
        }
        return Optional.ofNullable(leader);
    }

    /** Releases leadership; this node waits {@code stepDownBackoff} before contending again. */
    void stepDown() {
        stepDown.complete(null);
    }

    private void run() {
        try {
            while (running) {
                if (lock.tryAcquire(Duration.ZERO)) {
                    // the holder is this node from now on: forwarded requests wait for the activation here
                    // instead of chasing the previous (maybe dead) active node
                    leader = self;
                    serveAsActive();
                } else {
                    standbyFor(retryInterval);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("HA coordinator stopped unexpectedly; seal and unseal this node to rejoin the cluster", e);
        } finally {
            active = false;
            lock.close();
        }
    }

    /** One tenure: active until the lock is lost, a step-down is asked for, or the node seals. */
    private void serveAsActive() throws InterruptedException {
        if (!running || !node.becomeActive(this)) {
            lock.release();
            standbyFor(stepDownBackoff);
            return;
        }
        active = true;
        LOG.info("this node ({}) is now the active node", self.nodeId());
        CompletableFuture<Void> requested = stepDown;
        CompletableFuture<Object> ended = CompletableFuture.anyOf(lock.lost(), requested);
        while (running && !ended.isDone()) {
            beat();
            awaitQuietly(ended, heartbeatInterval);
        }
        active = false;
        node.becomeStandby(this);
        lock.release();
        if (requested.isDone()) {
            stepDown = new CompletableFuture<>();
            LOG.info("stepped down; waiting {} ms before contending again", stepDownBackoff.toMillis());
            standbyFor(stepDownBackoff);
        } else if (running) {
            LOG.warn("lost the HA lock; this node is a standby now");
        }
    }

    /** Stays standby (not contending) for {@code duration}, keeping the leader address and heartbeat fresh. */
    private void standbyFor(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        do {
            refreshLeader();
            beat();
            long left = Math.min(end - System.nanoTime(), retryInterval.toNanos());
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        } while (running && System.nanoTime() - end < 0);
    }

    private static void awaitQuietly(CompletableFuture<?> future, Duration max) throws InterruptedException {
        try {
            future.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // timeout: time for a heartbeat; the lost() future never fails exceptionally
        }
    }

    private void beat() {
        long now = System.nanoTime();
        if (now - nextHeartbeatNanos < 0) {
            return;
        }
        nextHeartbeatNanos = now + heartbeatInterval.toNanos();
        try {
            node.heartbeat(self.echoedAt(System.currentTimeMillis()));
        } catch (RuntimeException e) {
            LOG.debug("HA heartbeat not written: {}", e.getMessage());
        }
    }

    /** Stops contending and releases the lock; does not wait for the thread (it may wait for the node). */
    @Override
    public void close() {
        running = false;
        stepDown.complete(null);
        thread.interrupt();
        lock.release();
    }
}
