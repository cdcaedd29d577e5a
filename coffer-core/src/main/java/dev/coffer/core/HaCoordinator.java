package dev.coffer.core;

import dev.coffer.storage.HaLock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
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

        /**
         * The tenure has just ended (lost, stepped down or closing), before requests still running are drained: the
         * node stops relying on being the only writer (e.g. its read cache). Must not block.
         */
        void leftActive(HaCoordinator coordinator);

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
    /** The newest tenure of the lock this node has seen (another node's or its own); null before the first read. */
    private volatile Seen seen;
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

    /** Whether this node holds the lock by its own clock ({@link HaLock#held()}); cheap, asked on every cache hit. */
    boolean holdsLock() {
        return lock.held();
    }

    /** The fencing token of this node's current tenure; empty on a standby. */
    OptionalLong generation() {
        return active ? lock.fencingToken() : OptionalLong.empty();
    }

    /**
     * One tenure of the lock as this node saw it: the holder and its generation, whether its lease was valid at the
     * last read, and a future that completes once a later tenure is seen (see {@link #tenureEnded}).
     */
    private record Seen(HaNodeInfo holder, long generation, boolean valid, CompletableFuture<Void> ended) {
        boolean sameTenure(String nodeId, long otherGeneration) {
            return generation == otherGeneration && holder.nodeId().equals(nodeId);
        }
    }

    /** The active node and the generation of its tenure, read together. */
    record Leader(HaNodeInfo node, long generation) {
    }

    /** The active node as last read from the lock (refreshed every retry interval on a standby). */
    Optional<Leader> leader() {
        if (active()) {
            OptionalLong generation = lock.fencingToken();
            if (generation.isPresent()) {
                return Optional.of(new Leader(self, generation.getAsLong()));
            }
        }
        Seen s = seen;
        return s != null && s.valid() ? Optional.of(new Leader(s.holder(), s.generation())) : Optional.empty();
    }

    /** Reads the holder from storage now (a standby whose cached leader stopped answering). */
    Optional<Leader> refreshLeader() {
        if (active()) {
            return leader();
        }
        try {
            Optional<HaLock.LeaderInfo> holder = lock.currentHolder();
            if (holder.isEmpty()) {
                observeNoHolder();
            } else {
                HaNodeInfo.parse(holder.get().value()).ifPresentOrElse(
                        node -> observe(node, holder.get().fencingToken()), this::observeNoHolder);
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot read the HA lock holder: {}", e.getMessage());
            observeNoHolder();
        }
        return leader();
    }

    /**
     * Completes once this node sees that the lock has left the tenure of {@code nodeId} under {@code generation}:
     * another node or a newer generation holds it, or this node took it. At once when that is already known. A
     * lease that merely ran out does not complete it: only a successor proves the old tenure is over for good.
     * A standby uses it to stop waiting for an answer from an active node that has been replaced.
     */
    CompletableFuture<Void> tenureEnded(String nodeId, long generation) {
        Seen s = seen;
        // a tenure is only asked about after leader() reported it, so any other than the newest seen has ended
        return s != null && s.sameTenure(nodeId, generation) ? s.ended() : CompletableFuture.completedFuture(null);
    }

    /**
     * Records the holder just read. Generations only grow, so a read that finished late with an older tenure than
     * one already seen is ignored; a newer tenure ends the previous one.
     */
    private void observe(HaNodeInfo holder, long generation) {
        CompletableFuture<Void> ended;
        synchronized (this) {
            Seen s = seen;
            if (s != null && s.generation() > generation) {
                return;
            }
            if (s != null && s.sameTenure(holder.nodeId(), generation)) {
                if (!s.valid() || !s.holder().equals(holder)) {
                    seen = new Seen(holder, generation, true, s.ended());
                }
                return;
            }
            seen = new Seen(holder, generation, true, new CompletableFuture<>());
            ended = s == null ? null : s.ended();
        }
        if (ended != null) {
            ended.complete(null);
        }
    }

    /** No valid lease right now (expired, released, or unreadable): no leader, but the tenure has not moved yet. */
    private void observeNoHolder() {
        synchronized (this) {
            Seen s = seen;
            if (s != null && s.valid()) {
                seen = new Seen(s.holder(), s.generation(), false, s.ended());
            }
        }
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
                    // instead of chasing the previous (maybe dead) active node, and those still waiting for the
                    // previous tenure's answer give up (tenureEnded)
                    lock.fencingToken().ifPresent(generation -> observe(self, generation));
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
        node.leftActive(this);
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
