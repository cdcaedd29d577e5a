package dev.coffer.logical.kv;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key metadata this mount last parsed or wrote, by key, each with the exact JSON bytes it stands for. Every KV v2
 * read and write parses the key's metadata (over 1 KB with 10 versions kept), which cost as much as decrypting
 * it. The metadata is still read and decrypted from storage every time; only when those bytes equal the
 * remembered ones is the parse skipped, so a change by another request, another node or a restore is seen at
 * once (the bytes differ, or are gone). Callers get copies: the remembered metadata is never handed out.
 * Bounded per mount.
 */
final class KnownMetadata {
    static final int MAX = 1024;

    private final ConcurrentHashMap<String, Known> byKey = new ConcurrentHashMap<>();

    private record Known(byte[] json, KeyMetadata meta) {
    }

    /** A copy of the metadata {@code json} was remembered with, or null when the key's bytes were other ones. */
    KeyMetadata get(String key, byte[] json) {
        Known known = byKey.get(key);
        return known != null && Arrays.equals(known.json(), json) ? known.meta().copy() : null;
    }

    /** The remembered current version when {@code json} is the key's remembered bytes, else -1. */
    int currentVersion(String key, byte[] json) {
        Known known = byKey.get(key);
        return known != null && Arrays.equals(known.json(), json) ? known.meta().currentVersion : -1;
    }

    /** Remembers that {@code json} (not changed afterwards by the caller) is {@code meta}, which is copied. */
    void remember(String key, byte[] json, KeyMetadata meta) {
        if (byKey.size() >= MAX) {
            byKey.clear();
        }
        byKey.put(key, new Known(json, meta.copy()));
    }

    void forget(String key) {
        byKey.remove(key);
    }

    void clear() {
        byKey.clear();
    }

    int size() {
        return byKey.size();
    }
}
