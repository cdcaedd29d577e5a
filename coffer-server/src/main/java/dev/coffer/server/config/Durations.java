package dev.coffer.server.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go-style durations as Vault writes them: a sequence of number+unit ({@code "1h30m"}, {@code "500ms"},
 * {@code "1.5h"}), units ns, us, ms, s, m, h and d (Vault's extra day unit); a bare integer means seconds.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)");
    private static final Map<String, BigDecimal> NANOS_PER_UNIT = Map.of(
            "ns", BigDecimal.ONE, "us", BigDecimal.valueOf(1_000L), "µs", BigDecimal.valueOf(1_000L),
            "ms", BigDecimal.valueOf(1_000_000L), "s", BigDecimal.valueOf(1_000_000_000L),
            "m", BigDecimal.valueOf(60_000_000_000L), "h", BigDecimal.valueOf(3_600_000_000_000L),
            "d", BigDecimal.valueOf(86_400_000_000_000L));
    /** 100 years; anything longer is a typo and would overflow arithmetic on instants. */
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(3_600_000_000_000L).multiply(BigDecimal.valueOf(876_000L));

    private Durations() {
    }

    /** Returns the duration, or null when {@code text} is not a valid duration. */
    public static Duration parse(String text) {
        String s = text.strip();
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.matches("\\d{1,12}")) {
            Duration seconds = Duration.ofSeconds(Long.parseLong(s));
            return negative ? seconds.negated() : seconds;
        }
        if (s.isEmpty() || s.length() > 100) {
            return null;
        }
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(NANOS_PER_UNIT.get(m.group(2))));
            end = m.end();
        }
        if (end != s.length() || nanos.compareTo(MAX_NANOS) > 0) {
            return null;
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
    }
}
