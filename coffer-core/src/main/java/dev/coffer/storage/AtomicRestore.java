package dev.coffer.storage;

import java.io.IOException;

/**
 * Optional storage ability: replace the whole content at once. Guarantee: when {@link #replaceAll} returns, the
 * storage holds exactly the entries it was given; when it throws (the source failed, the connection was lost,
 * the node lost its HA lock), the storage holds exactly what it held before, and no other session ever saw a
 * state in between. A backend without it is restored entry by entry behind the core's gates (see
 * {@link GatedStorage}), which is atomic for requests but not for a process that dies part way.
 */
public interface AtomicRestore {

    /**
     * Replaces every stored entry with the entries {@code source} yields, all or nothing. The entries arrive one
     * at a time in ascending key order, and the implementation keeps only a bounded number in memory, whatever
     * the total. A backend that fences writes ({@link HaBackend}) refuses the whole replacement unless this node
     * still holds its HA lock when the change is made durable.
     *
     * @throws IOException when {@code source} fails; the storage is then unchanged
     * @throws dev.coffer.CofferException.StorageFailure when the storage refuses or fails; it is then unchanged
     */
    void replaceAll(EntrySource source) throws IOException;

    /**
     * Whether {@link #replaceAll} can work here now; when false the caller restores entry by entry instead (e.g. a
     * file backend whose directory is a mount point, which cannot be renamed).
     */
    default boolean atomicRestoreAvailable() {
        return true;
    }

    /** The entries to store, read one at a time. */
    @FunctionalInterface
    interface EntrySource {
        /** The next entry, or null after the last; an exception aborts the replacement. */
        Entry next() throws IOException;
    }

    /** One entry as it is to be stored (ciphertext for barrier entries). */
    record Entry(String key, byte[] value) {
    }
}
