package dev.coffer.logical.transit;

import dev.coffer.CofferException;
import dev.coffer.barrier.BarrierView;
import dev.coffer.core.Json;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Transit keys behind the mount's barrier view ({@code policy/<name>}, one JSON document holding every
 * version) with an in-memory cache. Reads are lock-free (policies are immutable); every change to one key
 * runs under that key's lock and is written to storage before the cache sees it, so a failed write changes
 * nothing.
 */
final class PolicyStore implements AutoCloseable {
    static final String PREFIX = "policy/";

    private final BarrierView storage;
    private final Clock clock;
    private final SecureRandom random;
    private final ConcurrentHashMap<String, KeyPolicy> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PolicyStore(BarrierView storage, Clock clock, SecureRandom random) {
        this.storage = storage;
        this.clock = clock;
        this.random = random;
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new CofferException.BadRequest("invalid key name \"" + name + "\": give a non-empty name without '/'");
        }
    }

    Optional<KeyPolicy> find(String name) {
        checkName(name);
        ensureOpen();
        KeyPolicy cached = cache.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        return withLock(name, () -> {
            KeyPolicy again = cache.get(name);
            if (again != null) {
                return Optional.of(again);
            }
            Optional<KeyPolicy> loaded = storage.get(PREFIX + name)
                    .map(b -> KeyPolicy.fromStored(Json.read(b, KeyPolicy.Stored.class, "transit key \"" + name + "\"")));
            loaded.ifPresent(p -> cache.put(name, p));
            return loaded;
        });
    }

    KeyPolicy require(String name) {
        return find(name).orElseThrow(() -> new CofferException.BadRequest("encryption key \"" + name + "\" not found; "
                + "create it with a write to keys/" + name));
    }

    /** Creates the key with version 1 unless it exists; returns the stored policy either way. */
    KeyPolicy createIfAbsent(String name, KeyPolicy template) {
        Optional<KeyPolicy> existing = find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        return withLock(name, () -> {
            KeyPolicy again = cache.get(name);
            if (again != null) {
                return again;
            }
            KeyPolicy created = template.withVersion(1, KeyVersion.generate(template.type(), clock.instant(), random));
            write(created);
            return created;
        });
    }

    /** Applies a change to an existing key under its lock; the result is stored, then cached. */
    KeyPolicy update(String name, UnaryOperator<KeyPolicy> change) {
        require(name);
        return withLock(name, () -> {
            KeyPolicy next = change.apply(cache.get(name));
            write(next);
            return next;
        });
    }

    KeyPolicy rotate(String name) {
        return update(name, p -> p.withVersion(p.latestVersion() + 1,
                KeyVersion.generate(p.type(), clock.instant(), random)));
    }

    /** Rotates when auto_rotate_period has elapsed since the latest version was created. */
    KeyPolicy rotateIfDue(KeyPolicy p) {
        if (!p.dueForRotation(clock.instant())) {
            return p;
        }
        return update(p.name(), current -> current.dueForRotation(clock.instant())
                ? current.withVersion(current.latestVersion() + 1, KeyVersion.generate(current.type(), clock.instant(), random))
                : current);
    }

    void delete(String name) {
        KeyPolicy p = require(name);
        if (!p.deletionAllowed()) {
            throw new CofferException.BadRequest("deletion is not allowed for key \"" + name + "\"; set deletion_allowed "
                    + "to true with a write to keys/" + name + "/config first");
        }
        withLock(name, () -> {
            storage.delete(PREFIX + name);
            KeyPolicy removed = cache.remove(name);
            if (removed != null) {
                removed.wipe();
            }
            return null;
        });
    }

    List<String> list() {
        ensureOpen();
        return storage.list(PREFIX).stream().filter(k -> !k.endsWith("/")).sorted().toList();
    }

    @Override
    public void close() {
        closed = true;
        cache.values().forEach(KeyPolicy::wipe);
        cache.clear();
    }

    private void write(KeyPolicy p) {
        ensureOpen();
        storage.put(PREFIX + p.name(), Json.write(p.toStored()));
        cache.put(p.name(), p);
    }

    private void ensureOpen() {
        if (closed) {
            throw new CofferException.Sealed("the transit mount is closed (sealed or unmounted)");
        }
    }

    private <T> T withLock(String name, java.util.function.Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
