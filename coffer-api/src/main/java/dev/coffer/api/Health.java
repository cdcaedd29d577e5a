package dev.coffer.api;

/**
 * Answer of {@code GET sys/health}. {@code httpStatus} carries the state too: 200 active, 429 standby,
 * 501 not initialized, 503 sealed (unless the caller overrode the codes).
 */
public record Health(int httpStatus, boolean initialized, boolean sealed, boolean standby,
                     boolean performanceStandby, long serverTimeUtc, String version, String clusterName,
                     String clusterId) {

    Health withHttpStatus(int status) {
        return new Health(status, initialized, sealed, standby, performanceStandby, serverTimeUtc, version,
                clusterName, clusterId);
    }
}
