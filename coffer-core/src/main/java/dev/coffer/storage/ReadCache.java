package dev.coffer.storage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A bounded least-recently-used cache of stored entries (the bytes as stored, ciphertext for barrier entries) in
 * front of a backend, including "absent" answers. Configured by {@code cache_size} and {@code disable_cache}.
 *
 * <p>Guarantee: while {@linkplain #activate active}, {@link #get} returns what the backend would return now,
 * provided that every write to the backend goes through this cache, except writes made while callers are shut out
 * and followed by {@link #purge()} (a restore), and writes to keys the {@code uncached} predicate selects. That
 * holds only while this node is the only writer; the caller activates the cache when it becomes so (a node
 * without HA once unsealed, the HA active node once it holds the lock) and deactivates it when it stops being so.
 * Inactive, every read goes to the backend. The guard given to {@link #activate} is asked before each hit, so a
 * node whose lease ran out by its own clock stops serving from the cache before it has stepped down.
 *
 * <p>How a miss and a concurrent write stay coherent without holding a lock during backend I/O: keys hash to
 * stripes, each with a stamp and a count of writes in flight. A write bumps its stripe's stamp and drops the key
 * before it calls the backend, and bumps the stamp again after. A miss notes the stamp before it reads the backend
 * and stores what it read only if the stamp is unchanged and no write is in flight; so a value read before a write
 * committed is never stored after it. A write stores its own value afterwards ("write-through") only if no other
 * write touched the stripe meanwhile (otherwise the order of the two commits is unknown); a write that failed,
 * whose outcome is therefore unknown, leaves its keys uncached. A delete leaves its key uncached too: most deleted
 * keys (trimmed KV versions, revoked tokens, expired leases) are never read again, and caching their absence would
 * fill the LRU with dead keys that push out live ones; a later read of the key caches the absence. Activation,
 * deactivation and purges change an epoch that every pending store is checked against, so nothing read before them
 * is stored after them.
 *
 * <p>The arrays handed in and out are copies: callers may modify them without affecting the cache.
 */
public final class ReadCache implements StorageBackend {

    /** Vault's default {@code cache_size}, in entries. */
    public static final int DEFAULT_SIZE = 131_072;
    private static final int STRIPES_PER_SEGMENT = 256;
    /** Marks a cached "no such entry"; compared by identity, never returned. */
    private static final byte[] ABSENT = new byte[0];

    private final StorageBackend backend;
    private final Predicate<String> uncached;
    private final Segment[] segments;
    private final int segmentMask;
    private final int capacity;
    private final AtomicLong epoch = new AtomicLong();
    /** Non-null while active: asked before every hit. */
    private volatile BooleanSupplier guard;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * @param backend  the storage every miss and write goes to
     * @param size     the most entries kept (at least 1)
     * @param uncached keys never cached (e.g. entries other nodes write while this one is active)
     */
    public ReadCache(StorageBackend backend, int size, Predicate<String> uncached) {
        if (size < 1) {
            throw new IllegalArgumentException("cache size must be at least 1, got " + size);
        }
        this.backend = backend;
        this.uncached = uncached;
        this.capacity = size;
        // one segment (an exact LRU) for small caches; 16 segments share the bound exactly for large ones
        int count = size >= 1024 ? 16 : 1;
        this.segments = new Segment[count];
        for (int i = 0; i < count; i++) {
            segments[i] = new Segment(i, size / count + (i < size % count ? 1 : 0));
        }
        this.segmentMask = count - 1;
    }

    /** The wrapped backend. */
    public StorageBackend backend() {
        return backend;
    }

    /**
     * Starts serving from the cache, empty, for as long as {@code stillValid} answers true (checked before each
     * hit; it must be cheap) and until {@link #deactivate()}.
     */
    public void activate(BooleanSupplier stillValid) {
        guard = null;
        purge();
        guard = stillValid;
    }

    /** Stops serving from the cache and empties it; reads go to the backend until the next activation. */
    public void deactivate() {
        guard = null;
        purge();
    }

    /** Whether the cache is active (its guard may still refuse hits). */
    public boolean active() {
        return guard != null;
    }

    /** Drops every entry, and every value read but not yet stored by a concurrent miss or write. */
    public void purge() {
        epoch.incrementAndGet();
        for (Segment s : segments) {
            synchronized (s) {
                s.entries.clear();
            }
        }
    }

    /** The most entries kept ({@code cache_size}). */
    public int capacity() {
        return capacity;
    }

    /** Entries held now. */
    public int size() {
        int n = 0;
        for (Segment s : segments) {
            synchronized (s) {
                n += s.entries.size();
            }
        }
        return n;
    }

    /** Reads answered from the cache since it was created. */
    public long hits() {
        return hits.sum();
    }

    /** Reads that went to the backend while the cache was active. */
    public long misses() {
        return misses.sum();
    }

    @Override
    public Optional<byte[]> get(String key) {
        BooleanSupplier g = guard;
        if (g == null || key == null || uncached.test(key) || !g.getAsBoolean()) {
            return backend.get(key);
        }
        int hash = spread(key.hashCode());
        Segment s = segment(hash);
        int stripe = stripe(hash);
        long stamp;
        long seenEpoch;
        synchronized (s) {
            byte[] cached = s.entries.get(key);
            if (cached != null) {
                hits.increment();
                return cached == ABSENT ? Optional.empty() : Optional.of(cached.clone());
            }
            stamp = s.stamps[stripe];
            seenEpoch = epoch.get();
        }
        misses.increment();
        Optional<byte[]> loaded = backend.get(key);
        synchronized (s) {
            if (s.stamps[stripe] == stamp && s.writing[stripe] == 0 && storable(seenEpoch)) {
                s.store(key, loaded.orElse(null));
            }
        }
        return loaded;
    }

    @Override
    public void put(String key, byte[] value) {
        writeOne(key, value);
    }

    @Override
    public void delete(String key) {
        writeOne(key, null);
    }

    @Override
    public List<String> list(String prefix) {
        return backend.list(prefix);
    }

    private void writeOne(String key, byte[] value) {
        if (key == null || uncached.test(key)) {
            if (value == null) {
                backend.delete(key);
            } else {
                backend.put(key, value);
            }
            return;
        }
        int hash = spread(key.hashCode());
        Segment s = segment(hash);
        int stripe = stripe(hash);
        long ticket;
        long seenEpoch;
        synchronized (s) {
            seenEpoch = epoch.get();
            ticket = s.begin(key, stripe);
        }
        boolean written = false;
        try {
            if (value == null) {
                backend.delete(key);
            } else {
                backend.put(key, value);
            }
            written = true;
        } finally {
            synchronized (s) {
                s.writing[stripe]--;
                boolean alone = s.stamps[stripe] == ticket && s.writing[stripe] == 0;
                s.stamps[stripe]++;
                if (written && alone && value != null && storable(seenEpoch)) {
                    s.store(key, value);
                } else {
                    s.entries.remove(key);
                }
            }
        }
    }

    @Override
    public boolean atomicBatches() {
        return backend.atomicBatches();
    }

    /**
     * The batch is treated, stripe by stripe, like one write of each stripe it touches: every key is dropped before
     * the backend is called, and afterwards the last value of each key is stored only where no other write began or
     * ended on that stripe since the batch's last start on it, and none is in flight.
     */
    @Override
    public void writeAll(List<Write> writes) {
        Map<Integer, StripeWrites> stripes = new LinkedHashMap<>();
        long seenEpoch = epoch.get();
        for (Write w : writes) {
            if (uncached.test(w.key())) {
                continue;
            }
            int hash = spread(w.key().hashCode());
            Segment s = segment(hash);
            int stripe = stripe(hash);
            StripeWrites group = stripes.computeIfAbsent(s.index * STRIPES_PER_SEGMENT + stripe,
                    id -> new StripeWrites(s, stripe));
            synchronized (s) {
                group.ticket = s.begin(w.key(), stripe);
            }
            group.started++;
            group.last.put(w.key(), w.value()); // the last write of a key wins, as in the backend
        }
        boolean written = false;
        try {
            backend.writeAll(writes);
            written = true;
        } finally {
            for (StripeWrites group : stripes.values()) {
                group.finish(written, seenEpoch);
            }
        }
    }

    /** Called with the segment's monitor held. */
    private boolean storable(long seenEpoch) {
        return guard != null && epoch.get() == seenEpoch;
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "ReadCache[" + backend + "]";
    }

    /** Which segment holds {@code key}, for tests. */
    int segmentIndex(String key) {
        return segment(spread(key.hashCode())).index;
    }

    /** The segment: the top four bits of the mixed hash, which a segment's own HashMap never uses for its buckets. */
    private Segment segment(int hash) {
        return segments[(hash >>> 28) & segmentMask];
    }

    /** The stripe: the eight bits below the segment's. */
    private static int stripe(int hash) {
        return (hash >>> 20) & (STRIPES_PER_SEGMENT - 1);
    }

    /**
     * Mixes the key's hash so that its top bits depend on all of it (Fibonacci hashing): keys that differ only in
     * their last characters (versions/app/1, versions/app/2) differ in the low bits of String.hashCode, and a
     * segment chosen by those bits would leave its HashMap with one bucket in sixteen in use.
     */
    private static int spread(int h) {
        return h * 0x9E3779B9;
    }

    /** What one {@link #writeAll} batch wrote on one stripe. */
    private final class StripeWrites {
        final Segment segment;
        final int stripe;
        final Map<String, byte[]> last = new LinkedHashMap<>();
        int started;
        long ticket;

        StripeWrites(Segment segment, int stripe) {
            this.segment = segment;
            this.stripe = stripe;
        }

        void finish(boolean written, long seenEpoch) {
            synchronized (segment) {
                segment.writing[stripe] -= started;
                boolean alone = segment.stamps[stripe] == ticket && segment.writing[stripe] == 0;
                segment.stamps[stripe]++;
                for (Map.Entry<String, byte[]> e : last.entrySet()) {
                    if (written && alone && e.getValue() != null && storable(seenEpoch)) {
                        segment.store(e.getKey(), e.getValue());
                    } else {
                        segment.entries.remove(e.getKey());
                    }
                }
            }
        }
    }

    /** One share of the cache with its own monitor, LRU order and stripes. */
    private static final class Segment {
        final int index;
        final LinkedHashMap<String, byte[]> entries;
        final long[] stamps = new long[STRIPES_PER_SEGMENT];
        final int[] writing = new int[STRIPES_PER_SEGMENT];

        Segment(int index, int capacity) {
            this.index = index;
            this.entries = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                    return size() > capacity;
                }
            };
        }

        /** Starts a write of {@code key}: returns the stripe's new stamp. Called with this monitor held. */
        long begin(String key, int stripe) {
            writing[stripe]++;
            entries.remove(key);
            return ++stamps[stripe];
        }

        /** Stores a copy of {@code value}, or "absent" for null. Called with this monitor held. */
        void store(String key, byte[] value) {
            entries.put(key, value == null ? ABSENT : value.clone());
        }
    }
}
