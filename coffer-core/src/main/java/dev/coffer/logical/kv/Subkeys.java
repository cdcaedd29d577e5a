package dev.coffer.logical.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The shape of a secret without its values: nested objects kept to a depth, everything else null. */
final class Subkeys {
    private Subkeys() {
    }

    /** {@code depth} 0 means no limit; 1 keeps only the top-level names. */
    static JsonNode of(JsonNode data, int depth) {
        return walk(data, depth, 1);
    }

    private static JsonNode walk(JsonNode node, int depth, int level) {
        ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        node.properties().forEach(e -> {
            JsonNode v = e.getValue();
            boolean descend = v.isObject() && (depth == 0 || level < depth);
            out.set(e.getKey(), descend ? walk(v, depth, level + 1) : NullNode.instance);
        });
        return out;
    }
}
