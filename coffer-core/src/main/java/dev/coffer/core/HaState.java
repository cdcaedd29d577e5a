package dev.coffer.core;

import java.time.Instant;

/**
 * This node's view of the HA cluster, as {@code sys/leader} reports it.
 *
 * @param enabled       HA is on (the storage backend elects an active node)
 * @param self          this node is the active node
 * @param activeSince   when this node became active (null when standby or HA is off and sealed)
 * @param leader        the active node as recorded with the lock; null when there is none
 * @param leaderGeneration the lock generation (fencing token) of the leader's tenure; 0 when unknown or none
 */
public record HaState(boolean enabled, boolean self, Instant activeSince, HaNodeInfo leader, long leaderGeneration) {

    public String leaderApiAddr() {
        return leader == null ? "" : leader.apiAddr();
    }

    public String leaderClusterAddr() {
        return leader == null ? "" : leader.clusterAddr();
    }
}
