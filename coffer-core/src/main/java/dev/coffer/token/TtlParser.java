package dev.coffer.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CofferException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** TTL fields as clients send them: a number of seconds, or a duration string such as "1h30m", "90s", "2d". */
public final class TtlParser {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private TtlParser() {
    }

    /** Parses {@code node}; null (absent) is zero. */
    public static Duration parse(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return Duration.ZERO;
        }
        if (node.isIntegralNumber()) {
            return nonNegative(field, node.longValue(), node.asText());
        }
        return parse(field, node.asText());
    }

    public static Duration parse(String field, String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return Duration.ZERO;
        }
        if (t.matches("-?\\d+")) {
            return nonNegative(field, Long.parseLong(t), t);
        }
        Matcher m = PART.matcher(t);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end != t.length()) {
            String shown = t.length() > 40 ? t.substring(0, 40) + "..." : t;
            throw new CofferException.BadRequest("field \"" + field + "\" must be a duration such as \"24h\", \"90m\" "
                    + "or a number of seconds, got \"" + shown + "\"");
        }
        return d;
    }

    private static Duration nonNegative(String field, long seconds, String shown) {
        if (seconds < 0) {
            throw new CofferException.BadRequest("field \"" + field + "\" cannot be negative, got " + shown);
        }
        return Duration.ofSeconds(seconds);
    }
}
