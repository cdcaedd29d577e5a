package dev.coffer.logical.transit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CofferException;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of request fields (the body, or one {@code batch_input} item). Numbers and booleans may come
 * as JSON strings, as Vault accepts; every error names the field and the expected form.
 */
final class Fields {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(h|m|s)");

    private Fields() {
    }

    static String string(JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode() || n.isBinary()) {
            throw new CofferException.BadRequest("field \"" + name + "\" must be a string");
        }
        return n.asText();
    }

    /** A base64 field; null when absent or empty. */
    static byte[] base64(JsonNode obj, String name) {
        String s = string(obj, name);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw notBase64(name);
        }
    }

    static CofferException.BadRequest notBase64(String name) {
        return new CofferException.BadRequest("field \"" + name + "\" must be base64-encoded (standard alphabet, "
                + "with padding)");
    }

    static int integer(JsonNode obj, String name, int fallback) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty())) {
            return fallback;
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.asInt();
        }
        if (n.isTextual()) {
            try {
                return Integer.parseInt(n.asText().strip());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new CofferException.BadRequest("field \"" + name + "\" must be an integer");
    }

    static boolean bool(JsonNode obj, String name, boolean fallback) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual() && (n.asText().equals("true") || n.asText().equals("false"))) {
            return Boolean.parseBoolean(n.asText());
        }
        throw new CofferException.BadRequest("field \"" + name + "\" must be true or false");
    }

    /** Seconds as a number, or a duration such as "24h", "1h30m", "90s"; null when absent. */
    static Duration duration(JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return Duration.ofSeconds(n.asLong());
        }
        String s = n.asText().strip();
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = DURATION_PART.matcher(s);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long v = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(v);
                case "m" -> Duration.ofMinutes(v);
                default -> Duration.ofSeconds(v);
            });
            end = m.end();
        }
        if (end != s.length() || s.isEmpty()) {
            throw new CofferException.BadRequest("field \"" + name + "\" must be a number of seconds or a duration such "
                    + "as \"24h\" or \"1h30m\"");
        }
        return d;
    }
}
