package dev.coffer.core;

import dev.coffer.barrier.SecurityBarrier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Heartbeat entries, one per node, behind the barrier under {@value #PREFIX}: what {@code sys/ha-status}
 * lists. Every unsealed HA node rewrites its own entry every few seconds; entries older than
 * {@link #STALE_MILLIS} are not listed (the node is gone or sealed).
 */
final class HaNodes {
    static final String PREFIX = "core/ha-nodes/";
    static final long STALE_MILLIS = 30_000;

    private final SecurityBarrier barrier;

    HaNodes(SecurityBarrier barrier) {
        this.barrier = barrier;
    }

    void write(HaNodeInfo node) {
        barrier.put(PREFIX + node.nodeId(), node.toJson().getBytes(StandardCharsets.UTF_8));
    }

    void remove(String nodeId) {
        barrier.delete(PREFIX + nodeId);
    }

    /** Nodes heard from within {@link #STALE_MILLIS} of {@code nowMillis}. */
    List<HaNodeInfo> recent(long nowMillis) {
        List<HaNodeInfo> nodes = new ArrayList<>();
        for (String id : barrier.list(PREFIX)) {
            if (id.endsWith("/")) {
                continue;
            }
            barrier.get(PREFIX + id)
                    .flatMap(b -> HaNodeInfo.parse(new String(b, StandardCharsets.UTF_8)))
                    .filter(n -> nowMillis - n.lastEcho() <= STALE_MILLIS)
                    .ifPresent(nodes::add);
        }
        return nodes;
    }
}
