package dev.coffer.server.http;

import dev.coffer.CofferException;
import java.time.Duration;
import dev.coffer.server.config.Durations;

/** Durations in API fields: parsed like the config file's ({@link Durations}), formatted like Go prints them. */
public final class DurationFormat {
    private DurationFormat() {
    }

    public static Duration parse(String field, String text) {
        Duration d = Durations.parse(text);
        if (d == null || d.isNegative()) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw new CofferException.BadRequest("field \"" + field + "\" must be a duration such as \"24h\", \"90m\" or a "
                    + "number of seconds, got \"" + shown + "\"");
        }
        return d;
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
