package dev.coffer.storage;

import dev.coffer.CofferException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wraps a backend so tests can make chosen operations fail with
 * {@link CofferException.StorageFailure} or run slowly, and switch that on and off while the system under
 * test keeps running. Thread-safe; a failing call never reaches the wrapped backend.
 */
public final class FaultInjectingBackend implements StorageBackend {

    /** The operations a fault can be attached to. */
    public enum Operation { GET, PUT, DELETE, LIST }

    private final StorageBackend delegate;
    private final AtomicReference<Set<Operation>> failing = new AtomicReference<>(Set.of());
    private final AtomicReference<Duration> latency = new AtomicReference<>(Duration.ZERO);
    private final AtomicLong injectedFailures = new AtomicLong();

    public FaultInjectingBackend(StorageBackend delegate) {
        this.delegate = delegate;
    }

    /** From now on, every call of the given operations fails (replaces any earlier choice). */
    public FaultInjectingBackend failOn(Operation... operations) {
        Set<Operation> chosen = EnumSet.noneOf(Operation.class);
        chosen.addAll(List.of(operations));
        failing.set(Set.copyOf(chosen));
        return this;
    }

    /** Every operation fails until {@link #heal()}. */
    public FaultInjectingBackend failAll() {
        return failOn(Operation.values());
    }

    /** Stops injecting failures and latency. */
    public FaultInjectingBackend heal() {
        failing.set(Set.of());
        latency.set(Duration.ZERO);
        return this;
    }

    /** Delays every operation by {@code delay} before it runs (or fails). */
    public FaultInjectingBackend latency(Duration delay) {
        latency.set(delay);
        return this;
    }

    /** How many calls were failed on purpose so far. */
    public long injectedFailures() {
        return injectedFailures.get();
    }

    public StorageBackend delegate() {
        return delegate;
    }

    @Override
    public Optional<byte[]> get(String key) {
        before(Operation.GET);
        return delegate.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        before(Operation.PUT);
        delegate.put(key, value);
    }

    @Override
    public void delete(String key) {
        before(Operation.DELETE);
        delegate.delete(key);
    }

    @Override
    public boolean atomicBatches() {
        return delegate.atomicBatches();
    }

    /** Fails as a whole (nothing reaches the wrapped backend) when any of its kinds of write is set to fail. */
    @Override
    public void writeAll(List<Write> writes) {
        delay();
        for (Write write : writes) {
            failIfChosen(write.isDelete() ? Operation.DELETE : Operation.PUT);
        }
        delegate.writeAll(writes);
    }

    @Override
    public List<String> list(String prefix) {
        before(Operation.LIST);
        return delegate.list(prefix);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void before(Operation operation) {
        delay();
        failIfChosen(operation);
    }

    private void failIfChosen(Operation operation) {
        if (failing.get().contains(operation)) {
            injectedFailures.incrementAndGet();
            throw new CofferException.StorageFailure("injected storage failure on " + operation, null);
        }
    }

    private void delay() {
        Duration delay = latency.get();
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CofferException.StorageFailure("interrupted while injecting storage latency", e);
        }
    }
}
