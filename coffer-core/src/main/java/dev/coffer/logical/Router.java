package dev.coffer.logical;

import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Routes a request path to the mount with the longest matching prefix. {@code secret} (no slash) routes to
 * the mount {@code secret/} with an empty relative path, as in Vault.
 */
public final class Router {
    private final ConcurrentSkipListMap<String, Route> mounts = new ConcurrentSkipListMap<>();

    public void add(String prefix, MountEntry entry, LogicalBackend backend) {
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("mount prefixes end with '/': " + prefix);
        }
        mounts.put(prefix, new Route(entry, backend, ""));
    }

    /** Removes the mount and returns its backend, if it was mounted. */
    public Optional<LogicalBackend> remove(String prefix) {
        return Optional.ofNullable(mounts.remove(prefix)).map(Route::backend);
    }

    public Optional<Route> route(String path) {
        String probe = path.endsWith("/") ? path : path + "/";
        // try every '/'-boundary prefix, longest first: O(depth) map lookups
        for (int end = probe.length(); end > 0; end = probe.lastIndexOf('/', end - 2) + 1) {
            Route r = mounts.get(probe.substring(0, end));
            if (r != null) {
                String rel = path.length() >= end ? path.substring(end) : "";
                return Optional.of(new Route(r.mount(), r.backend(), rel));
            }
        }
        return Optional.empty();
    }

    public boolean isMounted(String prefix) {
        return mounts.containsKey(prefix);
    }

    /** Every mount whose prefix starts with, or is a prefix of, {@code prefix} (for conflict checks). */
    public Optional<String> conflictingMount(String prefix) {
        for (String existing : mounts.keySet()) {
            if (existing.startsWith(prefix) || prefix.startsWith(existing)) {
                return Optional.of(existing);
            }
        }
        return Optional.empty();
    }

    public void clear() {
        mounts.values().forEach(r -> r.backend().close());
        mounts.clear();
    }
}
