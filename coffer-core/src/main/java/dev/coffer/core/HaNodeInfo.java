package dev.coffer.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * What a node tells the cluster about itself: stored as the HA lock's value by the active node and in each
 * node's heartbeat entry. No secrets: addresses and names only.
 *
 * @param lastEcho epoch milliseconds of the heartbeat (0 in the lock value)
 */
public record HaNodeInfo(String nodeId, String hostname, String apiAddr, String clusterAddr, long lastEcho) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public HaNodeInfo {
        apiAddr = apiAddr == null ? "" : apiAddr;
        clusterAddr = clusterAddr == null ? "" : clusterAddr;
        hostname = hostname == null ? "" : hostname;
    }

    HaNodeInfo echoedAt(long epochMillis) {
        return new HaNodeInfo(nodeId, hostname, apiAddr, clusterAddr, epochMillis);
    }

    String toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("api_addr", apiAddr);
        o.put("cluster_addr", clusterAddr);
        o.put("hostname", hostname);
        o.put("node_id", nodeId);
        if (lastEcho > 0) {
            o.put("last_echo", lastEcho);
        }
        return o.toString();
    }

    /** Parses what {@link #toJson} wrote; empty for anything else (a lock value from another program). */
    static Optional<HaNodeInfo> parse(String json) {
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode o = MAPPER.readTree(json);
            return Optional.of(new HaNodeInfo(o.path("node_id").asText(""), o.path("hostname").asText(""),
                    o.path("api_addr").asText(""), o.path("cluster_addr").asText(""), o.path("last_echo").asLong(0)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String localHostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }
}
