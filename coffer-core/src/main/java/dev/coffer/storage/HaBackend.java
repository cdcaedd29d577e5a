package dev.coffer.storage;

/**
 * A storage backend that can elect one active node among several sharing it (HA).
 *
 * <p>Guarantee: at most one {@link HaLock} per {@code key} is held at a time as seen by the store. A backend
 * that implements this interface also <b>fences</b> its writes: while a lock obtained from this backend is
 * held (from a successful acquisition until {@link HaLock#release()}), every {@code put} and {@code delete}
 * takes effect only if the store still sees that very tenure (same identity, same
 * {@link HaLock#fencingToken() fencing token}, lease not expired), checked by the store atomically with the
 * write. A deposed holder's write therefore fails with {@link dev.coffer.CofferException.StorageFailure}
 * even if the node has not noticed its loss yet (paused process, partition). Writes made while no lock of
 * this backend is held are not fenced.
 */
public interface HaBackend {

    /** False when the stanza turned HA off ({@code ha_enabled = "false"}); {@link #lock} then refuses. */
    boolean haEnabled();

    /**
     * Returns a handle on the lock named {@code key} (e.g. {@code core/lock}); nothing is acquired yet.
     *
     * @param identity unique per node and process (a UUID), recorded with the lease
     * @param value what standbys learn about the holder, e.g. its {@code api_addr}
     */
    HaLock lock(String key, String identity, String value);
}
