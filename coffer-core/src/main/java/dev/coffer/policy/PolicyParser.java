package dev.coffer.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CofferException;
import dev.coffer.core.Json;
import dev.coffer.hcl.ConfigException;
import dev.coffer.hcl.ConfigNode;
import dev.coffer.hcl.HclParser;
import dev.coffer.hcl.Position;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses Vault's ACL policy language (HCL, or the same structure as JSON) into a {@link Policy}. Errors are
 * BadRequests that name the line: {@code NAME.hcl:LINE:COL: what is wrong}.
 *
 * <p>Parameter constraints ({@code allowed_parameters}, {@code denied_parameters}, {@code required_parameters})
 * and wrapping TTLs are accepted but not enforced; the policy keeps a warning saying so.
 */
public final class PolicyParser {
    private static final Set<String> NOT_ENFORCED = Set.of("allowed_parameters", "denied_parameters",
            "required_parameters", "min_wrapping_ttl", "max_wrapping_ttl", "control_group");
    /** The pre-0.9 {@code policy = "..."} shorthand. */
    private static final Map<String, Integer> LEGACY = Map.of(
            "deny", Capability.DENY.bit(),
            "read", Capability.READ.bit() | Capability.LIST.bit(),
            "write", Capability.CREATE.bit() | Capability.READ.bit() | Capability.UPDATE.bit() | Capability.PATCH.bit()
                    | Capability.DELETE.bit() | Capability.LIST.bit(),
            "sudo", Capability.ALL);

    private PolicyParser() {
    }

    public static Policy parse(String name, String text) {
        if (text == null || text.isBlank()) {
            throw new CofferException.BadRequest("policy \"" + name + "\" is empty; give at least one path block, "
                    + "e.g. path \"secret/*\" { capabilities = [\"read\"] }");
        }
        List<PathRule> rules = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (text.strip().startsWith("{")) {
            parseJson(name, text, rules, warnings);
        } else {
            parseHcl(name, text, rules, warnings);
        }
        return new Policy(name, text, rules, warnings);
    }

    private static void parseHcl(String name, String text, List<PathRule> rules, List<String> warnings) {
        ConfigNode.ObjectNode root;
        try {
            root = HclParser.parse(name + ".hcl", text);
        } catch (ConfigException e) {
            throw new CofferException.BadRequest("failed to parse policy: " + e.getMessage());
        }
        for (ConfigNode.Entry e : root.entries()) {
            if (!e.key().equals("path")) {
                throw bad(e.position(), "unknown top-level key \"" + e.key() + "\"; a policy is a list of path \"...\" { } blocks");
            }
            if (e.labels().size() != 1 || !(e.value() instanceof ConfigNode.ObjectNode body)) {
                throw bad(e.position(), "expected path \"PATTERN\" { capabilities = [...] }");
            }
            rules.add(new PathRule(pattern(e.position(), e.labels().get(0)), capabilities(e.position(), body, warnings)));
        }
    }

    private static int capabilities(Position at, ConfigNode.ObjectNode body, List<String> warnings) {
        int bits = 0;
        boolean any = false;
        for (ConfigNode.Entry e : body.entries()) {
            if (e.key().equals("capabilities")) {
                if (!(e.value() instanceof ConfigNode.ListNode list)) {
                    throw bad(e.position(), "capabilities must be a list of strings, e.g. [\"read\", \"list\"]");
                }
                for (ConfigNode item : list.items()) {
                    if (!(item instanceof ConfigNode.Str s)) {
                        throw bad(item.position(), "capabilities must be strings, got " + item.kind());
                    }
                    bits |= capability(item.position(), s.value());
                }
                any = true;
            } else if (e.key().equals("policy") && e.value() instanceof ConfigNode.Str s && LEGACY.containsKey(s.value())) {
                bits |= LEGACY.get(s.value());
                any = true;
            } else if (NOT_ENFORCED.contains(e.key())) {
                warnings.add(notEnforced(e.key(), e.position().line()));
            } else {
                throw bad(e.position(), "unknown key \"" + e.key() + "\" in a path block; expected capabilities");
            }
        }
        if (!any) {
            throw bad(at, "the path block has no capabilities; add capabilities = [\"read\"] (or [\"deny\"])");
        }
        return bits;
    }

    private static int capability(Position at, String name) {
        return Capability.parse(name).map(Capability::bit).orElseThrow(() -> bad(at, "unknown capability \"" + name
                + "\"; use create, read, update, patch, delete, list, sudo or deny"));
    }

    private static String pattern(Position at, String p) {
        String s = p.startsWith("/") ? p.substring(1) : p;
        int star = s.indexOf('*');
        if (star >= 0 && star != s.length() - 1) {
            throw bad(at, "\"*\" may only appear at the end of a path pattern, got \"" + p + "\"");
        }
        for (String seg : s.split("/", -1)) {
            if (seg.contains("+") && !seg.equals("+") && !(seg.equals("+*"))) {
                throw bad(at, "\"+\" must be a whole path segment (a/+/b), got \"" + p + "\"");
            }
        }
        return s;
    }

    private static void parseJson(String name, String text, List<PathRule> rules, List<String> warnings) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new CofferException.BadRequest("failed to parse policy \"" + name + "\" as JSON: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : "unreadable"));
        }
        JsonNode paths = root.path("path");
        Position at = new Position(name + ".json", 1, 1);
        if (!paths.isObject()) {
            throw bad(at, "a JSON policy needs {\"path\": {\"PATTERN\": {\"capabilities\": [...]}}}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int bits = 0;
            for (JsonNode c : e.getValue().path("capabilities")) {
                bits |= capability(at, c.asText());
            }
            e.getValue().fieldNames().forEachRemaining(k -> {
                if (NOT_ENFORCED.contains(k)) {
                    warnings.add(notEnforced(k, 1));
                }
            });
            if (bits == 0) {
                throw bad(at, "path \"" + e.getKey() + "\" has no capabilities");
            }
            rules.add(new PathRule(pattern(at, e.getKey()), bits));
        }
    }

    private static String notEnforced(String key, int line) {
        return "line " + line + ": " + key + " is accepted but not enforced by Coffer; the path's capabilities apply "
                + "to every parameter";
    }

    private static CofferException.BadRequest bad(Position at, String message) {
        return new CofferException.BadRequest("failed to parse policy: " + at + ": " + message);
    }
}
