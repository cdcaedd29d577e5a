package dev.coffer.server.http;

import dev.coffer.CofferException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations as Vault's API writes them: "24h", "1h30m", "90s", "500ms", or a number of seconds. */
public final class DurationFormat {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)");

    private DurationFormat() {
    }

    public static Duration parse(String field, String text) {
        String s = text.strip();
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        Duration total = Duration.ZERO;
        while (m.find() && m.start() == pos) {
            double v = Double.parseDouble(m.group(1));
            long nanos = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L;
            };
            total = total.plusNanos((long) (v * nanos));
            pos = m.end();
        }
        if (pos != s.length() || s.isEmpty()) {
            throw new CofferException.BadRequest("field \"" + field + "\" must be a duration such as \"24h\", \"90m\" or a "
                    + "number of seconds, got \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"");
        }
        return total;
    }

    /** Formats like Go's time.Duration.String for whole seconds: "0s", "90s" -> "1m30s", "24h0m0s". */
    public static String format(Duration d) {
        long secs = d.getSeconds();
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
}
