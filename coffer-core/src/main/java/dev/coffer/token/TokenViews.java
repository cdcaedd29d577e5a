package dev.coffer.token;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the token API: the {@code auth} block of a create and the {@code data} of a lookup. */
final class TokenViews {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private TokenViews() {
    }

    static ObjectNode auth(TokenStore.Issued issued, long now) {
        TokenEntry e = issued.entry();
        ObjectNode a = F.objectNode();
        a.put("client_token", issued.token());
        a.put("accessor", e.accessor());
        a.set("policies", strings(e.policies()));
        a.set("token_policies", strings(e.policies()));
        a.set("identity_policies", F.arrayNode());
        a.set("metadata", meta(e.meta()));
        a.put("lease_duration", e.expireTime() == 0 ? 0 : e.expireTime() - now);
        a.put("renewable", e.renewable());
        a.put("entity_id", "");
        a.put("token_type", "service");
        a.put("orphan", e.orphan());
        a.putNull("mfa_requirement");
        a.put("num_uses", e.numUses());
        return a;
    }

    /** Lookup data; {@code id} is the token when the caller presented it, else empty. */
    static ObjectNode lookup(TokenEntry e, String id, long now) {
        ObjectNode d = F.objectNode();
        d.put("accessor", e.accessor());
        d.put("creation_time", e.creationTime());
        d.put("creation_ttl", e.creationTtl());
        d.put("display_name", e.displayName());
        d.put("entity_id", "");
        if (e.expireTime() == 0) {
            d.putNull("expire_time");
        } else {
            d.put("expire_time", Instant.ofEpochSecond(e.expireTime()).toString());
        }
        d.put("explicit_max_ttl", e.explicitMaxTtl());
        d.put("id", id == null ? "" : id);
        d.put("issue_time", Instant.ofEpochSecond(e.creationTime()).toString());
        d.set("meta", meta(e.meta()));
        d.put("num_uses", e.numUses());
        d.put("orphan", e.orphan());
        d.put("path", e.path());
        if (e.period() > 0) {
            d.put("period", e.period());
        }
        d.set("policies", strings(e.policies()));
        d.put("renewable", e.renewable());
        d.put("ttl", e.expireTime() == 0 ? 0 : Math.max(0, e.expireTime() - now));
        d.put("type", "service");
        return d;
    }

    private static ObjectNode meta(Map<String, String> meta) {
        if (meta.isEmpty()) {
            return null;
        }
        ObjectNode m = F.objectNode();
        new java.util.TreeMap<>(meta).forEach(m::put);
        return m;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = F.arrayNode();
        values.forEach(a::add);
        return a;
    }
}
