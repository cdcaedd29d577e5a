package dev.coffer.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.MountEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a create request into a {@link TokenRequest}: parses the fields and applies the policy rules. A child
 * may only get policies its parent has (unless the parent is root); with no policies it inherits the parent's.
 * Every token also gets {@code default} unless {@code no_default_policy} is set or it is a root token.
 */
final class TokenCreation {
    private TokenCreation() {
    }

    static TokenRequest from(LogicalRequest req, MountEntry mount, boolean orphan) {
        TokenEntry parent = req.token();
        List<String> policies = policies(req, parent);
        String name = text(req.field("display_name"));
        String displayName = name == null || name.isBlank() ? "token" : "token-" + name.strip();
        int numUses = intField(req.field("num_uses"), "num_uses");
        boolean renewable = req.field("renewable") == null || req.field("renewable").asBoolean(true);
        return new TokenRequest(orphan ? null : parent, policies, displayName, meta(req.field("meta")),
                TtlParser.parse("ttl", req.field("ttl")), TtlParser.parse("explicit_max_ttl", req.field("explicit_max_ttl")),
                TtlParser.parse("period", req.field("period")), numUses, renewable, "auth/token/create",
                configTtl(mount, "default_lease_ttl"), configTtl(mount, "max_lease_ttl"));
    }

    /** Mount tunable in seconds or as a duration; the system default (768h) when unset or zero. */
    static Duration configTtl(MountEntry mount, String key) {
        String v = mount.config().get(key);
        Duration d = v == null ? Duration.ZERO : TtlParser.parse(key, v);
        return d.isZero() ? TokenTtls.SYSTEM_MAX : d;
    }

    static List<String> normalize(JsonNode node) {
        TreeSet<String> out = new TreeSet<>();
        if (node == null) {
            return List.of();
        }
        Iterable<JsonNode> items = node.isArray() ? node : List.of(node);
        for (JsonNode n : items) {
            for (String s : n.asText().split(",")) {
                String p = s.strip().toLowerCase(Locale.ROOT);
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<String> policies(LogicalRequest req, TokenEntry parent) {
        List<String> requested = normalize(req.field("policies"));
        TreeSet<String> result = new TreeSet<>(requested.isEmpty() ? parent.policies() : requested);
        if (!parent.isRoot()) {
            if (result.contains("root")) {
                throw new CofferException.PermissionDenied("permission denied: only a root token can create a root token");
            }
            List<String> missing = new ArrayList<>(result);
            missing.removeAll(parent.policies());
            missing.remove("default");
            if (!missing.isEmpty()) {
                throw new CofferException.BadRequest("child policies must be a subset of the parent's; the parent "
                        + "token lacks " + missing + ". Ask for fewer policies or use a token that has them");
            }
        }
        boolean noDefault = req.field("no_default_policy") != null && req.field("no_default_policy").asBoolean();
        if (result.contains("root")) {
            result.retainAll(List.of("root"));
        } else if (!noDefault) {
            result.add("default");
        }
        return List.copyOf(result);
    }

    private static Map<String, String> meta(JsonNode node) {
        Map<String, String> m = new LinkedHashMap<>();
        if (node == null) {
            return m;
        }
        if (!node.isObject()) {
            throw new CofferException.BadRequest("field \"meta\" must be an object of string values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    private static int intField(JsonNode n, String field) {
        if (n == null) {
            return 0;
        }
        if (n.canConvertToInt() && (n.isIntegralNumber() || n.asText().matches("-?\\d+"))) {
            int v = n.isIntegralNumber() ? n.intValue() : Integer.parseInt(n.asText());
            if (v < 0) {
                throw new CofferException.BadRequest("field \"" + field + "\" cannot be negative; use 0 for unlimited");
            }
            return v;
        }
        if (n.isTextual() && n.textValue().matches("\\d+")) {
            return Integer.parseInt(n.textValue());
        }
        throw new CofferException.BadRequest("field \"" + field + "\" must be an integer");
    }

    static String text(JsonNode n) {
        return n == null ? null : n.asText();
    }
}
