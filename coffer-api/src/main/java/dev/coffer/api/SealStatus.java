package dev.coffer.api;

/**
 * Answer of {@code GET sys/seal-status} and {@code PUT sys/unseal}. {@code autoUnsealError} is Coffer's own:
 * why an auto-sealed node is still sealed (null otherwise).
 */
public record SealStatus(String type, boolean initialized, boolean sealed, int t, int n, int progress, String nonce,
                         String version, String buildDate, boolean migration, String clusterName, String clusterId,
                         boolean recoverySeal, String recoverySealType, String storageType, String autoUnsealError) {
}
