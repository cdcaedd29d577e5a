package dev.coffer.storage;

import java.util.List;
import java.util.Objects;
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

    /**
     * Whether {@link #writeAll} applies a batch all or nothing, also across a crash. False by default: the default
     * {@code writeAll} applies the writes one at a time. Callers that would lose data from a prefix of a batch (KV
     * v2 reusing a trimmed version's entry) only do so when this is true.
     */
    default boolean atomicBatches() {
        return false;
    }

    /**
     * Applies {@code writes} (puts and deletes) in list order; the last write of a key wins. Every key is checked
     * first, so a malformed key anywhere changes nothing. A backend that can overrides this to apply the batch
     * <b>atomically</b>: all of it or none, also across a crash (PostgreSQL: one fenced statement, one commit). The
     * default applies the writes one at a time, each durable on its own, so a failure or crash part way leaves a
     * prefix of the batch applied: callers order a batch so that every prefix is consistent (data before the
     * metadata that names it).
     */
    default void writeAll(List<Write> writes) {
        for (Write write : writes) {
            StorageKeys.requireKey(write.key());
        }
        for (Write write : writes) {
            if (write.isDelete()) {
                delete(write.key());
            } else {
                put(write.key(), write.value());
            }
        }
    }

    /** One write of a {@link #writeAll} batch: a put of {@code value}, or a delete when {@code value} is null. */
    record Write(String key, byte[] value) {
        public Write {
            Objects.requireNonNull(key, "key");
        }

        public static Write put(String key, byte[] value) {
            return new Write(key, Objects.requireNonNull(value, "value"));
        }

        public static Write delete(String key) {
            return new Write(key, null);
        }

        public boolean isDelete() {
            return value == null;
        }
    }

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
