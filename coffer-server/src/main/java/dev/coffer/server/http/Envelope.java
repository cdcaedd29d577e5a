package dev.coffer.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Vault's response envelope: {@code request_id, lease_id, renewable, lease_duration, data, wrap_info, warnings, auth}. */
final class Envelope {
    private Envelope() {
    }

    static ObjectNode of(String requestId, JsonNode data) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("request_id", requestId);
        o.put("lease_id", "");
        o.put("renewable", false);
        o.put("lease_duration", 0);
        o.set("data", data == null ? NullNode.instance : data);
        o.set("wrap_info", NullNode.instance);
        o.set("warnings", NullNode.instance);
        o.set("auth", NullNode.instance);
        return o;
    }

    /**
     * The envelope plus the data fields repeated at the top level, which is how Vault answers several older
     * {@code sys/} endpoints (clients read either place).
     */
    static ObjectNode withTopLevelCopy(String requestId, ObjectNode data) {
        ObjectNode o = of(requestId, data);
        data.properties().forEach(e -> o.set(e.getKey(), e.getValue()));
        return o;
    }
}
