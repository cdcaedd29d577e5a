package dev.coffer.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.MountEntry;
import java.util.Map;
import java.util.TreeMap;

/** Mount entries as the sys API shows them, and the {@code config} / {@code options} input they are built from. */
final class MountJson {
    /** Vault's system default for default_lease_ttl and max_lease_ttl (32 days), shown when a mount sets none. */
    static final long SYSTEM_DEFAULT_TTL = 2_764_800;
    static final String DEFAULT_LEASE_TTL = "default_lease_ttl";
    static final String MAX_LEASE_TTL = "max_lease_ttl";
    static final String FORCE_NO_CACHE = "force_no_cache";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private MountJson() {
    }

    /** {@code type, description, accessor, uuid, config, options, local, seal_wrap, ...} of one mount. */
    static ObjectNode entry(MountEntry m) {
        ObjectNode o = F.objectNode();
        o.put("type", m.type());
        o.put("description", m.description());
        o.put("accessor", m.accessor());
        o.put("uuid", m.uuid());
        ObjectNode config = o.putObject("config");
        config.put(DEFAULT_LEASE_TTL, seconds(m.config(), DEFAULT_LEASE_TTL));
        config.put(MAX_LEASE_TTL, seconds(m.config(), MAX_LEASE_TTL));
        config.put(FORCE_NO_CACHE, Boolean.parseBoolean(m.config().get(FORCE_NO_CACHE)));
        o.set("options", options(m.options()));
        o.put("local", m.local());
        o.put("seal_wrap", m.sealWrap());
        o.put("external_entropy_access", false);
        return o;
    }

    /** {@code sys/mounts/:path/tune} GET: the effective TTLs (system default when unset). */
    static ObjectNode tune(MountEntry m) {
        ObjectNode o = F.objectNode();
        o.put("description", m.description());
        long def = seconds(m.config(), DEFAULT_LEASE_TTL);
        long max = seconds(m.config(), MAX_LEASE_TTL);
        o.put(DEFAULT_LEASE_TTL, def == 0 ? SYSTEM_DEFAULT_TTL : def);
        o.put(MAX_LEASE_TTL, max == 0 ? SYSTEM_DEFAULT_TTL : max);
        o.put(FORCE_NO_CACHE, Boolean.parseBoolean(m.config().get(FORCE_NO_CACHE)));
        o.set("options", options(m.options()));
        return o;
    }

    /** Applies a request's {@code config} object (or top-level tune fields) on top of {@code base}. */
    static Map<String, String> config(JsonNode input, Map<String, String> base) {
        Map<String, String> out = new TreeMap<>(base);
        if (input == null || input.isNull()) {
            return out;
        }
        if (!input.isObject()) {
            throw new CofferException.BadRequest("field \"config\" must be an object, e.g. {\"default_lease_ttl\":\"1h\"}");
        }
        for (String ttl : new String[] {DEFAULT_LEASE_TTL, MAX_LEASE_TTL}) {
            JsonNode v = input.get(ttl);
            if (v != null && !v.isNull()) {
                out.put(ttl, String.valueOf(DurationFormat.parse(ttl, v.asText()).getSeconds()));
            }
        }
        JsonNode noCache = input.get(FORCE_NO_CACHE);
        if (noCache != null && !noCache.isNull()) {
            out.put(FORCE_NO_CACHE, String.valueOf(noCache.asBoolean()));
        }
        long def = Long.parseLong(out.getOrDefault(DEFAULT_LEASE_TTL, "0"));
        long max = Long.parseLong(out.getOrDefault(MAX_LEASE_TTL, "0"));
        if (def > 0 && max > 0 && def > max) {
            throw new CofferException.BadRequest("default_lease_ttl (" + def + "s) must not be longer than max_lease_ttl ("
                    + max + "s)");
        }
        return out;
    }

    /** A request's {@code options} object as strings, on top of {@code base}; a null value removes an option. */
    static Map<String, String> options(JsonNode input, Map<String, String> base) {
        Map<String, String> out = new TreeMap<>(base);
        if (input == null || input.isNull()) {
            return out;
        }
        if (!input.isObject()) {
            throw new CofferException.BadRequest("field \"options\" must be an object of strings, e.g. {\"version\":\"2\"}");
        }
        input.properties().forEach(e -> {
            if (e.getValue().isNull()) {
                out.remove(e.getKey());
            } else if (e.getValue().isValueNode()) {
                out.put(e.getKey(), e.getValue().asText());
            } else {
                throw new CofferException.BadRequest("option \"" + e.getKey() + "\" must be a string");
            }
        });
        return out;
    }

    private static JsonNode options(Map<String, String> options) {
        if (options.isEmpty()) {
            return NullNode.instance;
        }
        ObjectNode o = F.objectNode();
        options.forEach(o::put);
        return o;
    }

    private static long seconds(Map<String, String> config, String name) {
        try {
            return Long.parseLong(config.getOrDefault(name, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
