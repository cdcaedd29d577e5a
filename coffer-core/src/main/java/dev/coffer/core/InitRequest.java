package dev.coffer.core;

/** {@code sys/init} parameters. Recovery fields apply to auto seals only. */
public record InitRequest(int secretShares, int secretThreshold, int recoveryShares, int recoveryThreshold) {
}
