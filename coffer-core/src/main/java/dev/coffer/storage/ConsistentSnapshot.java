package dev.coffer.storage;

import java.io.IOException;

/**
 * Optional storage ability: iterate every entry as of one point in time while writes go on. A backend that has
 * it (in-memory: a copy of the key index; PostgreSQL: one repeatable-read transaction read with a cursor) does
 * not pause writers; for one that has not, {@link GatedStorage} pauses writes for the length of the walk.
 */
public interface ConsistentSnapshot {

    /**
     * Calls {@code visitor} once per entry, in ascending key order ({@link String#compareTo}), with the values as
     * they were when the iteration started. The visitor must not modify the arrays it is given.
     */
    void snapshot(EntryVisitor visitor) throws IOException;

    /** Receives one stored entry; an {@link IOException} aborts the iteration. */
    @FunctionalInterface
    interface EntryVisitor {
        void visit(String key, byte[] value) throws IOException;
    }
}
