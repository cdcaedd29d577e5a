package dev.coffer.barrier;

import dev.coffer.CofferException;
import dev.coffer.storage.StorageBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A part of the barrier confined under one prefix, e.g. {@code logical/<mount uuid>/}: each mount gets one
 * and cannot name anything outside it. Keys are relative to the prefix; a key that starts with '/' or has a
 * ".." segment is rejected rather than normalized, so no spelling of a key escapes the view.
 */
public final class BarrierView {

    private final SecurityBarrier barrier;
    private final String prefix;

    /** {@code prefix} is non-empty, ends with '/', and obeys the same rules as keys. */
    public BarrierView(SecurityBarrier barrier, String prefix) {
        this.barrier = Objects.requireNonNull(barrier, "barrier");
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty() || !prefix.endsWith("/") || escapes(prefix)) {
            throw new IllegalArgumentException("a barrier view prefix must be non-empty, end with '/', not start with '/'"
                    + " and have no '..' segment, got '" + prefix + "'");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public Optional<byte[]> get(String key) {
        return barrier.get(absolute(key));
    }

    public void put(String key, byte[] value) {
        barrier.put(absolute(key), value);
    }

    public void delete(String key) {
        barrier.delete(absolute(key));
    }

    /** Whether {@link #writeAll} is all or nothing (see {@link StorageBackend#atomicBatches}). */
    public boolean atomicBatches() {
        return barrier.atomicBatches();
    }

    /** Puts and deletes of keys relative to this view, as one batch (see {@link SecurityBarrier#writeAll}). */
    public void writeAll(List<StorageBackend.Write> writes) {
        List<StorageBackend.Write> absolute = new ArrayList<>(writes.size());
        for (StorageBackend.Write write : writes) {
            absolute.add(new StorageBackend.Write(absolute(write.key()), write.value()));
        }
        barrier.writeAll(absolute);
    }

    /** Children of {@code relativePrefix} (empty or ending with '/'), relative to it as in the storage SPI. */
    public List<String> list(String relativePrefix) {
        if (!relativePrefix.isEmpty() && !relativePrefix.endsWith("/")) {
            throw new CofferException.BadRequest("a list prefix must be empty or end with '/', got '" + relativePrefix + "'");
        }
        return barrier.list(absolute(relativePrefix));
    }

    /** A view further down, e.g. for a sub-area of a mount. */
    public BarrierView subView(String relativePrefix) {
        return new BarrierView(barrier, absolute(relativePrefix));
    }

    private String absolute(String key) {
        Objects.requireNonNull(key, "key");
        checkKey(key);
        return prefix + key;
    }

    private static void checkKey(String key) {
        if (escapes(key)) {
            throw new CofferException.BadRequest("invalid path '" + key + "': a path must not start with '/' or contain"
                    + " a '..' segment");
        }
    }

    /** Whether the key starts with '/' or has a ".." segment (scanned in place: every storage access checks it). */
    static boolean escapes(String key) {
        if (key.startsWith("/")) {
            return true;
        }
        for (int at = key.indexOf(".."); at >= 0; at = key.indexOf("..", at + 1)) {
            int end = at + 2;
            if ((at == 0 || key.charAt(at - 1) == '/') && (end == key.length() || key.charAt(end) == '/')) {
                return true;
            }
        }
        return false;
    }
}
