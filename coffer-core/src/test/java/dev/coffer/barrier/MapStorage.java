package dev.coffer.barrier;

import dev.coffer.storage.StorageBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/** Test-only map-backed storage; shared by several barrier instances it plays a shared database. */
final class MapStorage implements StorageBackend {

    final ConcurrentSkipListMap<String, byte[]> entries = new ConcurrentSkipListMap<>();
    /** The keys of every {@link #writeAll} batch, in call order. */
    final List<List<String>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void writeAll(List<Write> writes) {
        batches.add(writes.stream().map(Write::key).toList());
        StorageBackend.super.writeAll(writes);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(entries.get(key)).map(byte[]::clone);
    }

    @Override
    public void put(String key, byte[] value) {
        entries.put(key, value.clone());
    }

    @Override
    public void delete(String key) {
        entries.remove(key);
    }

    @Override
    public List<String> list(String prefix) {
        TreeSet<String> children = new TreeSet<>();
        for (String key : entries.tailMap(prefix).keySet()) {
            if (!key.startsWith(prefix)) {
                break;
            }
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            children.add(slash < 0 ? rest : rest.substring(0, slash + 1));
        }
        return new ArrayList<>(children);
    }
}
