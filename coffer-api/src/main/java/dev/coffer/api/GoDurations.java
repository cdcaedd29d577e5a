package dev.coffer.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations the way Vault users write them: a bare number of seconds, or Go syntax such as {@code 1m30s}. */
public final class GoDurations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDurations() {
    }

    /** Returns the duration, or throws {@link IllegalArgumentException} naming the bad text. */
    public static Duration parse(String text) {
        String value = text.strip();
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        Matcher matcher = PART.matcher(value);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            BigDecimal unit = BigDecimal.valueOf(NANOS_PER_UNIT.get(matcher.group(2)));
            nanos = nanos.add(new BigDecimal(matcher.group(1)).multiply(unit));
            end = matcher.end();
        }
        if (value.isEmpty() || end != value.length()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\" (use seconds, or e.g. 90s, 1m30s, 500ms)");
        }
        return Duration.ofNanos(nanos.longValueExact());
    }
}
