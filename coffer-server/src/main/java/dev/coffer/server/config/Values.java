package dev.coffer.server.config;

import dev.coffer.hcl.ConfigNode;
import dev.coffer.hcl.ConfigException;
import dev.coffer.hcl.ConfigNode.Bool;
import dev.coffer.hcl.ConfigNode.ListNode;
import dev.coffer.hcl.ConfigNode.Num;
import dev.coffer.hcl.ConfigNode.Str;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns value nodes into Java values, as leniently as Vault does (booleans may be {@code "true"} or
 * {@code 1}), and otherwise fails with {@code FILE:LINE: key "a.b": expected ..., got ...}.
 */
final class Values {
    private Values() {
    }

    static String string(ConfigNode node, String key) {
        return switch (node) {
            case Str s -> s.value();
            case Num n -> n.text();
            case Bool b -> String.valueOf(b.value());
            default -> throw wrongType(node, key, "a string");
        };
    }

    static boolean bool(ConfigNode node, String key) {
        String text = switch (node) {
            case Bool b -> String.valueOf(b.value());
            case Str s -> s.value().strip().toLowerCase(Locale.ROOT);
            case Num n -> n.text();
            default -> "";
        };
        return switch (text) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw wrongType(node, key, "a boolean (true/false)");
        };
    }

    static Duration duration(ConfigNode node, String key) {
        Duration d = switch (node) {
            case Num n when n.isInteger() -> Durations.parse(n.text());
            case Str s -> Durations.parse(s.value());
            default -> null;
        };
        if (d == null) {
            throw wrongType(node, key, "a duration such as \"90s\", \"1h30m\" or a whole number of seconds");
        }
        return d;
    }

    static long size(ConfigNode node, String key) {
        String text = switch (node) {
            case Num n -> n.text();
            case Str s -> s.value().strip();
            default -> "";
        };
        if (!text.matches("-?\\d{1,18}")) {
            throw wrongType(node, key, "a size in bytes (a whole number)");
        }
        return Long.parseLong(text);
    }

    /** A plugin parameter: scalars in their written form, a list of scalars joined with commas. */
    static String parameter(ConfigNode node, String key) {
        if (node instanceof ListNode list) {
            return list.items().stream().map(item -> string(item, key)).collect(Collectors.joining(","));
        }
        return string(node, key);
    }

    static ConfigException wrongType(ConfigNode node, String key, String expected) {
        return ConfigException.at(node.position().origin(),
                "key \"" + key + "\": expected " + expected + ", got " + shown(node));
    }

    private static String shown(ConfigNode node) {
        return switch (node) {
            case Str s -> "\"" + (s.value().length() > 40 ? s.value().substring(0, 37) + "..." : s.value()) + "\"";
            case Num n -> n.text();
            case Bool b -> String.valueOf(b.value());
            default -> node.kind();
        };
    }
}
