package dev.coffer.logical.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed request fields for the KV engine. Numbers and booleans may arrive as JSON strings ("5", "true"): query
 * parameters always do, and Vault's API accepts both. Every error names the field and what a valid value is.
 */
final class KvParams {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)");

    private KvParams() {
    }

    static JsonNode field(ObjectNode body, String name) {
        JsonNode n = body == null ? null : body.get(name);
        return n == null || n.isNull() ? null : n;
    }

    /** An integer field, or null when absent. */
    static Integer optionalInt(ObjectNode body, String name) {
        JsonNode n = field(body, name);
        if (n == null) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        if (n.isTextual() && n.textValue().strip().matches("-?\\d{1,9}")) {
            return Integer.parseInt(n.textValue().strip());
        }
        throw new CofferException.BadRequest("field \"" + name + "\" must be an integer, got " + shown(n));
    }

    static Boolean optionalBool(ObjectNode body, String name) {
        JsonNode n = field(body, name);
        if (n == null) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        String t = n.asText().strip().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new CofferException.BadRequest("field \"" + name + "\" must be true or false, got " + shown(n));
    }

    /** A duration in seconds ("90s", "1h30m", "2d" or a plain number of seconds), or null when absent. */
    static Long optionalDurationSeconds(ObjectNode body, String name) {
        JsonNode n = field(body, name);
        if (n == null) {
            return null;
        }
        if (n.isIntegralNumber() && n.longValue() >= 0) {
            return n.longValue();
        }
        Long parsed = n.isTextual() ? parseDuration(n.textValue()) : null;
        if (parsed == null) {
            throw new CofferException.BadRequest("field \"" + name + "\" must be a duration such as \"30m\", \"24h\" or a "
                    + "number of seconds, got " + shown(n));
        }
        return parsed;
    }

    /** Seconds, or null when the text is not a non-negative duration. */
    static Long parseDuration(String text) {
        String t = text.strip();
        if (t.matches("\\d{1,15}")) {
            return Long.parseLong(t);
        }
        Matcher m = DURATION_PART.matcher(t);
        double seconds = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            seconds += v * switch (m.group(2)) {
                case "ns" -> 1e-9;
                case "us", "µs" -> 1e-6;
                case "ms" -> 1e-3;
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                default -> 86400;
            };
            end = m.end();
        }
        return end == t.length() && end > 0 ? (long) seconds : null;
    }

    /** Formats whole seconds the way Vault prints durations: "0s", "1m30s", "24h0m0s". */
    static String formatDuration(long secs) {
        if (secs == 0) {
            return "0s";
        }
        long h = secs / 3600;
        long m = (secs % 3600) / 60;
        long s = secs % 60;
        if (h > 0) {
            return h + "h" + m + "m" + s + "s";
        }
        return m > 0 ? m + "m" + s + "s" : s + "s";
    }

    private static String shown(JsonNode n) {
        String s = n.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
