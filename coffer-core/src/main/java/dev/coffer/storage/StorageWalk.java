package dev.coffer.storage;

import java.io.IOException;

/**
 * Visits every entry of a backend by walking {@link StorageBackend#list} depth first. Children come sorted and
 * folders carry a trailing '/', so the walk yields keys in ascending {@link String#compareTo} order. Not a
 * point-in-time view by itself: the caller keeps writers out (see {@link GatedStorage}).
 */
public final class StorageWalk {

    private StorageWalk() {
    }

    public static void walk(StorageBackend storage, ConsistentSnapshot.EntryVisitor visitor) throws IOException {
        walk(storage, "", visitor);
    }

    private static void walk(StorageBackend storage, String prefix, ConsistentSnapshot.EntryVisitor visitor)
            throws IOException {
        for (String child : storage.list(prefix)) {
            String key = prefix + child;
            if (child.endsWith("/")) {
                walk(storage, key, visitor);
            } else {
                var value = storage.get(key);
                if (value.isPresent()) {
                    visitor.visit(key, value.get());
                }
            }
        }
    }
}
