package dev.coffer.server.config;

import dev.coffer.hcl.ConfigNode;
import dev.coffer.hcl.ConfigException;
import dev.coffer.hcl.Origin;
import dev.coffer.hcl.Position;
import dev.coffer.hcl.ConfigNode.Entry;
import dev.coffer.hcl.ConfigNode.ListNode;
import dev.coffer.hcl.ConfigNode.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One typed block such as {@code listener "tcp" { ... }}, whichever way it was written: with a label
 * (HCL), as {@code listener { tcp { ... } }}, or as JSON {@code "listener": {"tcp": {...}}} or
 * {@code "listener": [{"tcp": {...}}]}.
 *
 * @param name the block name as written ({@code storage}, {@code backend}, ...)
 */
record Stanza(String name, String type, ObjectNode body, Position position) {

    /** {@code listener.tcp}, the prefix of keys in error messages. */
    String path() {
        return name + "." + type;
    }

    static List<Stanza> of(Entry entry) {
        List<Stanza> out = new ArrayList<>();
        if (entry.labels().size() == 1 && entry.value() instanceof ObjectNode body) {
            out.add(new Stanza(entry.key(), entry.labels().get(0), body, entry.position()));
        } else if (entry.labels().size() > 1) {
            throw ConfigException.at(entry.position().origin(), "block \"" + entry.key() + "\" takes one label,"
                    + " its type, e.g. " + entry.key() + " \"TYPE\" { ... }; found " + entry.labels().size());
        } else {
            collectUnlabelled(entry.key(), entry.value(), out);
        }
        return out;
    }

    private static void collectUnlabelled(String name, ConfigNode value, List<Stanza> out) {
        if (value instanceof ListNode list) {
            for (ConfigNode item : list.items()) {
                collectUnlabelled(name, item, out);
            }
        } else if (value instanceof ObjectNode object && !object.entries().isEmpty()) {
            for (Entry typed : object.entries()) {
                if (!typed.labels().isEmpty()) {
                    throw notABlock(name, typed.value());
                }
                collectTyped(name, typed.key(), typed.value(), typed.position(), out);
            }
        } else {
            throw notABlock(name, value);
        }
    }

    private static void collectTyped(String name, String type, ConfigNode value, Position at, List<Stanza> out) {
        if (value instanceof ObjectNode body) {
            out.add(new Stanza(name, type, body, at));
        } else if (value instanceof ListNode list && !list.items().isEmpty()) {
            for (ConfigNode item : list.items()) {
                collectTyped(name, type, item, item.position(), out);
            }
        } else {
            throw notABlock(name, value);
        }
    }

    private static ConfigException notABlock(String name, ConfigNode value) {
        return Values.wrongType(value, name, "a block such as " + name + " \"TYPE\" { ... }");
    }

    /** The body's settings as plugin parameters (strings) and where each was written. */
    Params params() {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Origin> origins = new LinkedHashMap<>();
        for (Entry e : body.entries()) {
            String key = path() + "." + e.key();
            if (!e.labels().isEmpty() || e.value() instanceof ObjectNode) {
                throw Values.wrongType(e.value(), key, "a string, number, boolean or list");
            }
            values.put(e.key(), Values.parameter(e.value(), key));
            origins.put(e.key(), e.position().origin());
        }
        return new Params(values, origins);
    }

    record Params(Map<String, String> values, Map<String, Origin> origins) {
    }
}
