package dev.coffer.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.policy.Policy;
import dev.coffer.policy.PolicyStore;
import dev.coffer.token.TokenEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * ACL policies ({@code sys/policies/acl/*} and the older {@code sys/policy/*}) and capability queries
 * ({@code sys/capabilities}, {@code -self}, {@code -accessor}). Querying another token's capabilities needs
 * sudo, since it reveals what that token may do.
 */
final class PolicyEndpoints {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final Core core;

    PolicyEndpoints(Core core) {
        this.core = core;
    }

    void register(SysRoutes routes) {
        routes.route("policies/acl").list((r, rest) -> keys());
        routes.route("policies/acl/").list((r, rest) -> keys());
        routes.route("policies/acl/*").read((r, rest) -> read(rest, "policy")).write((r, rest) -> write(r, rest, "policy"))
                .delete((r, rest) -> delete(rest));
        routes.route("policy").read((r, rest) -> legacyList());
        routes.route("policy/*").read((r, rest) -> read(rest, "rules")).write((r, rest) -> write(r, rest, "rules"))
                .delete((r, rest) -> delete(rest));
        routes.route("capabilities-self").write((r, rest) -> capabilities(r, r.token()));
        routes.route("capabilities").write((r, rest) -> capabilities(r, byToken(r))).sudo();
        routes.route("capabilities-accessor").write((r, rest) -> capabilities(r, byAccessor(r))).sudo();
    }

    private LogicalResponse keys() {
        ObjectNode data = F.objectNode();
        data.set("keys", strings(core.policies().list()));
        return LogicalResponse.ok(data);
    }

    private LogicalResponse legacyList() {
        ObjectNode data = F.objectNode();
        data.set("policies", strings(core.policies().list()));
        data.set("keys", strings(core.policies().list()));
        return LogicalResponse.ok(data).withTopLevelCopy();
    }

    private LogicalResponse read(String name, String field) {
        Policy p = core.policies().get(name).orElseThrow(() -> new CofferException.NotFound(
                "no policy named \"" + PolicyStore.normalize(name) + "\"; list them with sys/policies/acl"));
        ObjectNode data = F.objectNode();
        data.put("name", p.name());
        data.put(field, p.text());
        return field.equals("rules") ? LogicalResponse.ok(data).withTopLevelCopy() : LogicalResponse.ok(data);
    }

    private LogicalResponse write(LogicalRequest r, String name, String field) {
        String text = Params.stringField(r.data(), field);
        if (text == null && field.equals("rules")) {
            text = Params.stringField(r.data(), "policy");
        }
        if (text == null) {
            throw new CofferException.BadRequest("missing \"" + field + "\": give the policy text (HCL or JSON)");
        }
        Policy p = core.policies().put(name, text);
        LogicalResponse res = LogicalResponse.noContent();
        for (String w : p.warnings()) {
            res = res.withWarning(w);
        }
        return res;
    }

    private LogicalResponse delete(String name) {
        core.policies().delete(name);
        return LogicalResponse.noContent();
    }

    private LogicalResponse capabilities(LogicalRequest r, TokenEntry token) {
        List<String> paths = new ArrayList<>();
        JsonNode ps = r.field("paths");
        if (ps != null) {
            (ps.isArray() ? ps : List.of(ps)).forEach(n -> paths.add(n.asText()));
        }
        if (r.field("path") != null) {
            paths.add(r.field("path").asText());
        }
        if (paths.isEmpty()) {
            throw new CofferException.BadRequest("missing \"paths\": give the paths to check, e.g. [\"secret/data/app\"]");
        }
        ObjectNode data = F.objectNode();
        java.util.TreeSet<String> all = new java.util.TreeSet<>();
        for (String p : paths) {
            List<String> caps = core.acl().capabilities(token, p);
            data.set(p, strings(caps));
            all.addAll(caps);
        }
        data.set("capabilities", strings(List.copyOf(paths.size() == 1 ? core.acl().capabilities(token, paths.get(0)) : all)));
        return LogicalResponse.ok(data).withTopLevelCopy();
    }

    private TokenEntry byToken(LogicalRequest r) {
        String t = Params.stringField(r.data(), "token");
        if (t == null || t.isBlank()) {
            throw new CofferException.BadRequest("missing \"token\": give the token whose capabilities to check");
        }
        return core.tokens().lookup(t).orElseThrow(() -> new CofferException.BadRequest("invalid token: it does not "
                + "exist, was revoked or has expired"));
    }

    private TokenEntry byAccessor(LogicalRequest r) {
        String a = Params.stringField(r.data(), "accessor");
        if (a == null || a.isBlank()) {
            throw new CofferException.BadRequest("missing \"accessor\": give the token accessor to check");
        }
        return core.tokens().lookupByAccessor(a).orElseThrow(() -> new CofferException.BadRequest("invalid accessor: "
                + "no live token has it"));
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = F.arrayNode();
        values.forEach(a::add);
        return a;
    }
}
