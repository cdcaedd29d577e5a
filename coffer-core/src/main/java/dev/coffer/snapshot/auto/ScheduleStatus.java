package dev.coffer.snapshot.auto;

import java.time.Instant;

/**
 * What {@code sys/storage/snapshot-auto/status/NAME} reports. {@code lastRun} is the start of the last finished
 * attempt (success or failure) and is what {@code nextRun = lastRun + interval} counts from.
 */
public record ScheduleStatus(String name, Instant lastRun, Instant lastSuccess, String lastSnapshot, String lastError,
                             Instant lastErrorTime, Instant nextRun, int consecutiveFailures) {
}
