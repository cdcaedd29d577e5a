package dev.coffer.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.core.HaNodeInfo;
import dev.coffer.core.HaState;
import dev.coffer.core.Version;
import dev.coffer.logical.LogicalResponse;
import java.time.Instant;
import java.util.Map;

/**
 * {@code sys/leader} (answered by every node itself, standbys included), {@code sys/ha-status} and
 * {@code sys/step-down} (served by the active node; standbys forward them).
 */
final class HaEndpoints {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String NEVER = "0001-01-01T00:00:00Z";

    private final Core core;

    HaEndpoints(Core core) {
        this.core = core;
    }

    void registerLocal(RouteTable table) {
        table.add("sys/leader", Map.of("GET", r -> leader()));
    }

    void register(SysRoutes routes) {
        routes.route("ha-status").read((r, rest) -> haStatus()).sudo();
        routes.route("step-down").write((r, rest) -> stepDown()).sudo();
    }

    private ApiResponse leader() {
        if (core.sealed()) {
            throw new CofferException.Sealed("Vault is sealed");
        }
        HaState ha = core.haState();
        ObjectNode o = F.objectNode();
        o.put("ha_enabled", ha.enabled());
        o.put("is_self", ha.self());
        o.put("active_time", ha.activeSince() == null ? NEVER : ha.activeSince().toString());
        o.put("leader_address", ha.leaderApiAddr());
        o.put("leader_cluster_address", ha.leaderClusterAddr());
        o.put("performance_standby", false);
        o.put("performance_standby_last_remote_wal", 0);
        return ApiResponse.ok(o);
    }

    private LogicalResponse haStatus() {
        if (!core.haEnabled()) {
            throw new CofferException.BadRequest("this node's storage has no HA (set ha_enabled = \"true\" in a storage"
                    + " stanza that supports it, e.g. postgresql)");
        }
        String leaderId = core.haState().leader() == null ? "" : core.haState().leader().nodeId();
        ArrayNode nodes = F.arrayNode();
        for (HaNodeInfo n : core.haNodes()) {
            ObjectNode o = nodes.addObject();
            o.put("hostname", n.hostname());
            o.put("api_address", n.apiAddr());
            o.put("cluster_address", n.clusterAddr());
            o.put("active_node", n.nodeId().equals(leaderId));
            o.put("last_echo", Instant.ofEpochMilli(n.lastEcho()).toString());
            o.put("version", Version.VERSION);
            o.put("node_id", n.nodeId());
        }
        ObjectNode out = F.objectNode();
        out.set("Nodes", nodes);
        return LogicalResponse.ok(out).withTopLevelCopy();
    }

    private LogicalResponse stepDown() {
        core.stepDown();
        return LogicalResponse.noContent();
    }
}
