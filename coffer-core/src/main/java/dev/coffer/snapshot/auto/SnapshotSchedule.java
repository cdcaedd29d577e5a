package dev.coffer.snapshot.auto;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One {@code snapshot "NAME" {...}} stanza or {@code sys/storage/snapshot-auto/config/NAME} entry.
 *
 * @param source {@code config} (the server's HCL file, read-only through the API) or {@code api}
 */
public record SnapshotSchedule(String name, Duration interval, int retain, String targetType,
                               Map<String, String> target, String source) {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    public static final String SOURCE_CONFIG = "config";
    public static final String SOURCE_API = "api";

    public SnapshotSchedule {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("snapshot schedule name \"" + name
                    + "\" must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (interval == null || interval.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("snapshot \"" + name + "\": interval must be at least 1m");
        }
        if (retain < 1) {
            throw new IllegalArgumentException("snapshot \"" + name + "\": retain must be at least 1");
        }
        if (targetType == null || targetType.isBlank()) {
            throw new IllegalArgumentException("snapshot \"" + name + "\": a target is required");
        }
        target = Map.copyOf(new TreeMap<>(target == null ? Map.of() : target));
    }

    /** Every file this schedule writes starts with this; retention only ever looks at such files. */
    public String filePrefix() {
        return "coffer-snapshot-" + name + "-";
    }
}
