package dev.coffer.storage;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The core's view of its backend, with two gates that make snapshots and restores safe while requests run.
 *
 * <ul>
 *   <li>The <em>write gate</em>: every put and delete holds it shared; a snapshot of a backend without
 *       {@link ConsistentSnapshot} holds it exclusively for the walk, so writes pause (reads go on) and the walk
 *       sees one point in time.</li>
 *   <li>The <em>read gate</em>: every get and list holds it shared; a restore holds it (and the write gate)
 *       exclusively, so no request sees half-restored data.</li>
 * </ul>
 *
 * <p>The thread holding a gate exclusively may still use this storage (the locks are reentrant and the
 * exclusive holder may take the shared side), which lets a restore reload the keyring and mounts before anyone
 * else sees the new data. Methods named {@code ...Exclusive} run their work with both gates held.
 *
 * <p>With a {@link ReadCache}, requests go through the cache inside the gates (so a restore, which waits for every
 * reader, never races a miss), while exclusive work gets the backend itself and the cache is purged before and
 * after it.
 */
public final class GatedStorage implements StorageBackend, ConsistentSnapshot {

    private final StorageBackend delegate;
    /** What requests use: the cache in front of {@code delegate}, or {@code delegate} itself. */
    private final StorageBackend front;
    private final ReadCache cache;
    private final ReentrantReadWriteLock writeGate = new ReentrantReadWriteLock();
    private final ReentrantReadWriteLock readGate = new ReentrantReadWriteLock();

    public GatedStorage(StorageBackend delegate) {
        this(delegate, null);
    }

    /** Gates with {@code cache} (null for none), which must wrap {@code delegate}, in front of the backend. */
    public GatedStorage(StorageBackend delegate, ReadCache cache) {
        if (cache != null && cache.backend() != delegate) {
            throw new IllegalArgumentException("the read cache must wrap the gated backend");
        }
        this.delegate = delegate;
        this.cache = cache;
        this.front = cache == null ? delegate : cache;
    }

    /** The read cache in front of the backend, if any. */
    public java.util.Optional<ReadCache> cache() {
        return java.util.Optional.ofNullable(cache);
    }

    /** The wrapped backend, without gates: only for code that holds the gates exclusively. */
    public StorageBackend ungated() {
        return delegate;
    }

    @Override
    public Optional<byte[]> get(String key) {
        readGate.readLock().lock();
        try {
            return front.get(key);
        } finally {
            readGate.readLock().unlock();
        }
    }

    @Override
    public List<String> list(String prefix) {
        readGate.readLock().lock();
        try {
            return front.list(prefix);
        } finally {
            readGate.readLock().unlock();
        }
    }

    @Override
    public void put(String key, byte[] value) {
        writeGate.readLock().lock();
        try {
            front.put(key, value);
        } finally {
            writeGate.readLock().unlock();
        }
    }

    @Override
    public void delete(String key) {
        writeGate.readLock().lock();
        try {
            front.delete(key);
        } finally {
            writeGate.readLock().unlock();
        }
    }

    @Override
    public boolean atomicBatches() {
        return delegate.atomicBatches();
    }

    @Override
    public void writeAll(List<Write> writes) {
        writeGate.readLock().lock();
        try {
            front.writeAll(writes);
        } finally {
            writeGate.readLock().unlock();
        }
    }

    /**
     * A point-in-time iteration: the backend's own when it has one (writers keep going), otherwise a walk with
     * the write gate closed (writers wait until the walk ends; readers do not).
     */
    @Override
    public void snapshot(EntryVisitor visitor) throws IOException {
        if (delegate instanceof ConsistentSnapshot consistent) {
            consistent.snapshot(visitor);
            return;
        }
        writeGate.writeLock().lock();
        try {
            StorageWalk.walk(delegate, visitor);
        } finally {
            writeGate.writeLock().unlock();
        }
    }

    /**
     * Runs {@code work} with every other reader and writer shut out; used to replace all data at once. The read
     * cache is purged before (the work may read through this storage after changing the backend) and after.
     */
    public <T> T runExclusive(ExclusiveWork<T> work) throws IOException {
        writeGate.writeLock().lock();
        try {
            readGate.writeLock().lock();
            try {
                purgeCache();
                return work.run(delegate);
            } finally {
                purgeCache();
                readGate.writeLock().unlock();
            }
        } finally {
            writeGate.writeLock().unlock();
        }
    }

    private void purgeCache() {
        if (cache != null) {
            cache.purge();
        }
    }

    /** Work done while holding both gates; it gets the ungated backend. */
    @FunctionalInterface
    public interface ExclusiveWork<T> {
        T run(StorageBackend ungated) throws IOException;
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "GatedStorage[" + delegate + "]";
    }
}
