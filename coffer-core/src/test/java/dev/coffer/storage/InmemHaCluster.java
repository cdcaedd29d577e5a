package dev.coffer.storage;

import dev.coffer.CofferException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Test double for an HA-capable store: one shared {@link InmemBackend} and one lock, seen by several nodes
 * through {@link #node()}. Each node's writes are fenced by its own tenure, like the PostgreSQL backend's.
 * The lease never runs out by itself; a test ends it with {@link #expireLease(boolean)}.
 */
public final class InmemHaCluster {

    private final InmemBackend data = new InmemBackend();
    private Holder holder;
    private long generation;

    private record Holder(NodeLock lock, String identity, String value, long token) {
    }

    /** A new node's handle on the shared store. */
    public Node node() {
        return new Node();
    }

    public InmemBackend data() {
        return data;
    }

    /**
     * Ends the current lease as the store sees it; with {@code holderNotices} false the holder is "paused"
     * and keeps believing it leads (its writes are then fenced out).
     */
    public synchronized void expireLease(boolean holderNotices) {
        Holder h = holder;
        holder = null;
        if (h != null && holderNotices) {
            h.lock().lose(h.token());
        }
    }

    /**
     * A node outside the test takes the lock from a paused holder: the current lease ends without its holder
     * noticing (as {@code expireLease(false)}), and a new handle with {@code identity} and {@code value} (the lock
     * value names its address) holds the lock at once, under the next generation, so no node of the test can take
     * it first. Returns that handle.
     */
    public synchronized HaLock takeOverBy(String identity, String value) {
        holder = null;
        NodeLock lock = new NodeLock(new Node(), identity, value);
        if (!lock.attempt()) {
            throw new IllegalStateException("the lock was free, yet not taken");
        }
        return lock;
    }

    private synchronized boolean admits(long fence) {
        return fence == 0 || (holder != null && holder.token() == fence);
    }

    /** One node's view: the shared data, with writes fenced while its lock is held. */
    public final class Node implements StorageBackend, HaBackend {
        private volatile long fence;

        @Override
        public Optional<byte[]> get(String key) {
            return data.get(key);
        }

        @Override
        public void put(String key, byte[] value) {
            checkFence(key);
            data.put(key, value);
        }

        @Override
        public void delete(String key) {
            checkFence(key);
            data.delete(key);
        }

        @Override
        public List<String> list(String prefix) {
            return data.list(prefix);
        }

        private void checkFence(String key) {
            if (!admits(fence)) {
                throw new CofferException.StorageFailure("write of " + key + " refused: this node no longer holds the"
                        + " HA lock (fencing token " + fence + ")", null);
            }
        }

        @Override
        public boolean haEnabled() {
            return true;
        }

        @Override
        public HaLock lock(String key, String identity, String value) {
            return new NodeLock(this, identity, value);
        }
    }

    private final class NodeLock implements HaLock {
        private final Node node;
        private final String identity;
        private final String value;
        private volatile long token;
        private volatile CompletableFuture<Void> lost = CompletableFuture.completedFuture(null);

        NodeLock(Node node, String identity, String value) {
            this.node = node;
            this.identity = identity;
            this.value = value;
        }

        @Override
        public boolean tryAcquire(Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (!attempt()) {
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                Thread.sleep(10);
            }
            return true;
        }

        private boolean attempt() {
            synchronized (InmemHaCluster.this) {
                if (held()) {
                    return true;
                }
                if (holder != null) {
                    return false;
                }
                token = ++generation;
                holder = new Holder(this, identity, value, token);
                lost = new CompletableFuture<>();
                node.fence = token;
                return true;
            }
        }

        @Override
        public void acquire() throws InterruptedException {
            while (!tryAcquire(Duration.ofSeconds(1))) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void release() {
            synchronized (InmemHaCluster.this) {
                if (holder != null && holder.lock() == this) {
                    holder = null;
                }
                node.fence = 0;
                token = 0;
            }
            lost.complete(null);
        }

        void lose(long tenure) {
            if (token == tenure) {
                token = 0;
                lost.complete(null);
            }
        }

        @Override
        public boolean held() {
            synchronized (InmemHaCluster.this) {
                return token != 0 && holder != null && holder.token() == token;
            }
        }

        @Override
        public CompletableFuture<Void> lost() {
            return lost;
        }

        @Override
        public OptionalLong fencingToken() {
            long t = token;
            return t == 0 ? OptionalLong.empty() : OptionalLong.of(t);
        }

        @Override
        public Optional<LeaderInfo> currentHolder() {
            synchronized (InmemHaCluster.this) {
                return holder == null ? Optional.empty()
                        : Optional.of(new LeaderInfo(holder.identity(), holder.value(), holder.token()));
            }
        }
    }
}
