package dev.coffer.snapshot.auto;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Helpers for target factories: attribute checks with messages that name the target type and attribute. */
public final class TargetConfig {
    private final String type;
    private final Map<String, String> config;

    public TargetConfig(String type, Map<String, String> config, Set<String> allowed) {
        this.type = type;
        this.config = config;
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("snapshot target \"" + type + "\": unknown attribute(s) " + unknown
                    + "; allowed: " + new TreeSet<>(allowed));
        }
    }

    public String required(String key) {
        String v = config.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("snapshot target \"" + type + "\": \"" + key + "\" is required");
        }
        return v;
    }

    public String optional(String key) {
        String v = config.get(key);
        return v == null || v.isBlank() ? null : v;
    }

    public boolean flag(String key) {
        String v = optional(key);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException("snapshot target \"" + type + "\": \"" + key
                    + "\" must be true or false, got \"" + v + "\"");
        };
    }

    /** A key prefix normalised to end with "/" (or empty). */
    public String prefix(String key) {
        String p = optional(key);
        if (p == null) {
            return "";
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }
}
