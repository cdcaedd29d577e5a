package dev.coffer.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.logical.LogicalResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Vault's response envelope: {@code request_id, lease_id, renewable, lease_duration, data, wrap_info, warnings,
 * auth}. Every routed request answers with one, so it is written straight to bytes ({@link #bytes}); {@link #tree}
 * builds the same as a JSON tree, for the few endpoints that repeat their data at the top level.
 */
final class Envelope {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Envelope() {
    }

    /** The envelope of {@code r} as a tree, data fields repeated at the top level when {@code r} asks for it. */
    static ObjectNode tree(String requestId, LogicalResponse r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("request_id", requestId);
        o.put("lease_id", "");
        o.put("renewable", false);
        o.put("lease_duration", 0);
        o.set("data", r.data() == null ? NullNode.instance : r.data());
        o.set("wrap_info", NullNode.instance);
        o.set("warnings", NullNode.instance);
        o.set("auth", NullNode.instance);
        if (r.topLevelCopy() && r.data() != null) {
            // how Vault answers several older sys/ endpoints (clients read either place)
            r.data().properties().forEach(e -> o.set(e.getKey(), e.getValue()));
        }
        if (r.auth() != null) {
            o.set("auth", r.auth());
        }
        if (!r.warnings().isEmpty()) {
            ArrayNode w = JsonNodeFactory.instance.arrayNode();
            r.warnings().forEach(w::add);
            o.set("warnings", w);
        }
        o.put("lease_duration", r.leaseDuration());
        o.put("renewable", r.renewable());
        return o;
    }

    /** The bytes the object mapper writes for {@link #tree} of a response that does not repeat its data. */
    static byte[] bytes(String requestId, LogicalResponse r) {
        if (r.topLevelCopy() && r.data() != null) {
            throw new IllegalArgumentException("a response that repeats its data at the top level is built as a tree");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("request_id", requestId);
            g.writeStringField("lease_id", "");
            g.writeBooleanField("renewable", r.renewable());
            g.writeNumberField("lease_duration", r.leaseDuration());
            g.writeFieldName("data");
            MAPPER.writeTree(g, r.data() == null ? NullNode.instance : r.data());
            g.writeNullField("wrap_info");
            g.writeFieldName("warnings");
            if (r.warnings().isEmpty()) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (String w : r.warnings()) {
                    g.writeString(w);
                }
                g.writeEndArray();
            }
            g.writeFieldName("auth");
            MAPPER.writeTree(g, r.auth() == null ? NullNode.instance : r.auth());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a response", e);
        }
        return out.toByteArray();
    }
}
