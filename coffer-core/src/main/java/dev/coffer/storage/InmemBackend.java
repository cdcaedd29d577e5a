package dev.coffer.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A backend that keeps everything in memory: for tests and {@code storage "inmem"} dev servers. Values are
 * copied on the way in and out so callers can never change stored data through an array they hold.
 *
 * <p>Snapshots copy the key index (references only; stored arrays are never changed in place) under a lock
 * that writers share, so a snapshot is one point in time and writers wait only for the copy, not the walk.
 */
public final class InmemBackend implements StorageBackend, ConsistentSnapshot, AtomicRestore {

    private final ConcurrentNavigableMap<String, byte[]> entries = new ConcurrentSkipListMap<>();
    private final ReentrantReadWriteLock copyLock = new ReentrantReadWriteLock();

    @Override
    public Optional<byte[]> get(String key) {
        byte[] value = entries.get(StorageKeys.requireKey(key));
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    @Override
    public void put(String key, byte[] value) {
        String checked = StorageKeys.requireKey(key);
        byte[] copy = value.clone();
        copyLock.readLock().lock();
        try {
            entries.put(checked, copy);
        } finally {
            copyLock.readLock().unlock();
        }
    }

    @Override
    public void delete(String key) {
        String checked = StorageKeys.requireKey(key);
        copyLock.readLock().lock();
        try {
            entries.remove(checked);
        } finally {
            copyLock.readLock().unlock();
        }
    }

    /** All of a batch or none: it is applied under the snapshot lock (and a crash loses the whole store anyway). */
    @Override
    public boolean atomicBatches() {
        return true;
    }

    /** Applied under the snapshot lock's shared side, so a snapshot sees all of a batch or none of it. */
    @Override
    public void writeAll(List<Write> writes) {
        List<Write> copies = new ArrayList<>(writes.size());
        for (Write write : writes) {
            String checked = StorageKeys.requireKey(write.key());
            copies.add(write.isDelete() ? Write.delete(checked) : Write.put(checked, write.value().clone()));
        }
        copyLock.readLock().lock();
        try {
            for (Write write : copies) {
                if (write.isDelete()) {
                    entries.remove(write.key());
                } else {
                    entries.put(write.key(), write.value());
                }
            }
        } finally {
            copyLock.readLock().unlock();
        }
    }

    /** Builds the new content aside, then swaps it in under the snapshot lock's exclusive side. */
    @Override
    public void replaceAll(EntrySource source) throws IOException {
        TreeMap<String, byte[]> replacement = new TreeMap<>();
        for (Entry entry = source.next(); entry != null; entry = source.next()) {
            replacement.put(StorageKeys.requireKey(entry.key()), entry.value().clone());
        }
        copyLock.writeLock().lock();
        try {
            entries.clear();
            entries.putAll(replacement);
        } finally {
            copyLock.writeLock().unlock();
        }
    }

    @Override
    public void snapshot(EntryVisitor visitor) throws IOException {
        Map<String, byte[]> copy;
        copyLock.writeLock().lock();
        try {
            copy = new TreeMap<>(entries);
        } finally {
            copyLock.writeLock().unlock();
        }
        for (Map.Entry<String, byte[]> e : copy.entrySet()) {
            visitor.visit(e.getKey(), e.getValue());
        }
    }

    /**
     * Walks the sorted keys under {@code prefix}, jumping over each folder's subtree instead of visiting every
     * deep key, so listing a folder costs one seek per child. The result is already sorted and unique because
     * every key under folder {@code f/} sorts between {@code f/} and {@code f0} ('0' follows '/').
     */
    @Override
    public List<String> list(String prefix) {
        StorageKeys.requirePrefix(prefix);
        List<String> children = new ArrayList<>();
        String cursor = entries.ceilingKey(prefix);
        while (cursor != null && cursor.startsWith(prefix)) {
            String rest = cursor.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                children.add(rest);
                cursor = entries.higherKey(cursor);
            } else {
                String folder = rest.substring(0, slash + 1);
                children.add(folder);
                cursor = entries.ceilingKey(prefix + rest.substring(0, slash) + '0');
            }
        }
        return children;
    }

    /** Number of stored entries; handy for tests. */
    public int size() {
        return entries.size();
    }
}
