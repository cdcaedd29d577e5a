package dev.coffer.api;

/** Answer of {@code GET sys/leader}. */
public record LeaderStatus(boolean haEnabled, boolean isSelf, String activeTime, String leaderAddress,
                           String leaderClusterAddress, boolean performanceStandby) {
}
