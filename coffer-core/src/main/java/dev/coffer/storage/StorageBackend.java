package dev.coffer.storage;

import java.util.List;
import java.util.Optional;

/**
 * Untrusted key/value storage. Everything Coffer stores through it is already encrypted by the barrier
 * (except the few plaintext entries the seal needs while sealed), so a backend only has to be durable and
 * consistent, never confidential.
 *
 * <p>Keys are '/'-separated paths such as {@code core/keyring} or {@code logical/abc/foo bar}; any
 * character except NUL may appear in a key. A missing key is an empty result, never an error. Failures of
 * the medium are reported as {@link dev.coffer.CofferException.StorageFailure}.
 *
 * <p>Optional abilities (HA lock, fencing, transactions, consistent snapshots) are separate interfaces that
 * callers check for at runtime.
 */
public interface StorageBackend extends AutoCloseable {

    /** Returns the value stored at {@code key}, or empty when there is none. */
    Optional<byte[]> get(String key);

    /** Stores {@code value} at {@code key}, replacing any previous value. Durable once it returns. */
    void put(String key, byte[] value);

    /** Removes {@code key}; removing a missing key is not an error. */
    void delete(String key);

    /**
     * Lists the direct children of {@code prefix} (which is empty or ends with '/'): names of entries
     * directly under it, and names of "folders" (deeper entries exist) with a trailing '/'. Sorted, unique.
     */
    List<String> list(String prefix);

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
