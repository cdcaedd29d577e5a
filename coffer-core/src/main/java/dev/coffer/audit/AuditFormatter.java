package dev.coffer.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.token.TokenEntry;
import java.util.Iterator;
import java.util.Map;

/**
 * Renders an {@link AuditEntry} as Vault-shaped JSON. Unless the device logs raw, every string inside request
 * and response data, and every token, is replaced by its salted HMAC; the inputs are never modified.
 */
final class AuditFormatter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final AuditFormat format;
    private final AuditHasher hasher;

    AuditFormatter(AuditFormat format, AuditHasher hasher) {
        this.format = format;
        this.hasher = hasher;
    }

    ObjectNode render(AuditEntry e) {
        ObjectNode o = F.objectNode();
        o.put("time", e.time().toString());
        o.put("type", e.type());
        o.set("auth", auth(e.request()));
        o.set("request", request(e));
        if (e.type().equals(AuditEntry.RESPONSE)) {
            o.set("response", response(e));
        }
        if (e.error() != null) {
            o.put("error", e.error().getMessage());
        }
        return o;
    }

    private ObjectNode auth(LogicalRequest r) {
        TokenEntry t = r.token();
        ObjectNode a = F.objectNode();
        a.put("client_token", secret(r.clientToken()));
        a.put("accessor", accessor(t == null ? null : t.accessor()));
        a.put("display_name", t == null ? "" : t.displayName());
        ArrayNode policies = a.putArray("policies");
        ArrayNode tokenPolicies = a.putArray("token_policies");
        if (t != null) {
            t.policies().forEach(policies::add);
            t.policies().forEach(tokenPolicies::add);
        }
        a.putNull("metadata");
        a.put("entity_id", "");
        a.put("token_type", t == null ? "" : "service");
        return a;
    }

    private ObjectNode request(AuditEntry e) {
        LogicalRequest r = e.request();
        ObjectNode q = F.objectNode();
        q.put("id", r.id());
        q.put("operation", r.operation().capability());
        q.put("mount_point", r.mountPoint());
        if (e.mountType() != null) {
            q.put("mount_type", e.mountType());
        }
        q.put("client_token", secret(r.clientToken()));
        q.put("client_token_accessor", accessor(r.token() == null ? null : r.token().accessor()));
        q.putObject("namespace").put("id", "root");
        q.put("path", r.path());
        q.set("data", r.data() == null || r.data().isEmpty() ? F.nullNode() : values(r.data()));
        q.put("remote_address", r.remoteAddress());
        String forwardedFor = r.headers().get("x-forwarded-for");
        if (forwardedFor != null) {
            // only present when trusted (a standby of this cluster, or an authorized proxy): the way it came
            q.putObject("headers").putArray("x-forwarded-for").add(forwardedFor);
        }
        return q;
    }

    private ObjectNode response(AuditEntry e) {
        ObjectNode s = F.objectNode();
        s.put("mount_point", e.request().mountPoint());
        if (e.mountType() != null) {
            s.put("mount_type", e.mountType());
        }
        LogicalResponse r = e.response();
        if (r == null) {
            return s;
        }
        JsonNode data = r.raw() != null ? r.raw() : r.data();
        if (data != null) {
            s.set("data", values(data));
        }
        if (r.auth() != null) {
            s.set("auth", responseAuth(r.auth()));
        }
        if (!r.warnings().isEmpty()) {
            ArrayNode w = s.putArray("warnings");
            r.warnings().forEach(w::add);
        }
        return s;
    }

    private ObjectNode responseAuth(ObjectNode auth) {
        ObjectNode a = auth.deepCopy();
        if (a.hasNonNull("client_token")) {
            a.put("client_token", secret(a.get("client_token").asText()));
        }
        if (a.hasNonNull("accessor")) {
            a.put("accessor", accessor(a.get("accessor").asText()));
        }
        return a;
    }

    /** A copy of {@code node} with every string hashed (unless raw); numbers, booleans and nulls stay. */
    private JsonNode values(JsonNode node) {
        if (format.logRaw()) {
            return node.deepCopy();
        }
        if (node.isTextual()) {
            return F.textNode(hasher.hash(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode copy = F.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                copy.set(f.getKey(), values(f.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = F.arrayNode();
            node.forEach(n -> copy.add(values(n)));
            return copy;
        }
        return node.deepCopy();
    }

    private String secret(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return format.logRaw() ? value : hasher.hash(value);
    }

    private String accessor(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return format.logRaw() || !format.hmacAccessor() ? value : hasher.hash(value);
    }
}
