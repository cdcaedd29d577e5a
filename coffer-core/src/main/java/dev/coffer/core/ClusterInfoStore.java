package dev.coffer.core;

import dev.coffer.barrier.SecurityBarrier;
import java.util.HexFormat;

/**
 * Keeps {@link ClusterInfo} at {@code core/cluster-info}. A configured {@code cluster_name} overrides the stored
 * name for display, like Vault; the id never changes after init.
 */
final class ClusterInfoStore {
    static final String PATH = "core/cluster-info";

    private final SecurityBarrier barrier;
    private final CoreOptions options;
    private volatile ClusterInfo current;

    ClusterInfoStore(SecurityBarrier barrier, CoreOptions options) {
        this.barrier = barrier;
        this.options = options;
    }

    void loadOrCreate() {
        ClusterInfo stored = barrier.get(PATH).map(b -> Json.read(b, ClusterInfo.class, "cluster info")).orElse(null);
        if (stored == null) {
            byte[] r = new byte[20];
            options.random().nextBytes(r);
            String hex = HexFormat.of().formatHex(r);
            String id = hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20, 32);
            stored = new ClusterInfo("coffer-cluster-" + hex.substring(32, 40), id);
            barrier.put(PATH, Json.write(stored));
        }
        String name = options.clusterName() != null && !options.clusterName().isBlank() ? options.clusterName() : stored.name();
        current = new ClusterInfo(name, stored.id());
    }

    ClusterInfo current() {
        return current;
    }
}
