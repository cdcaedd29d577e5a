package dev.coffer.api;

/** Answer of {@code GET sys/key-status}: the barrier keyring's newest term. */
public record KeyStatus(long term, String installTime, long encryptions) {
}
