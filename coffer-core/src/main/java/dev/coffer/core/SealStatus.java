package dev.coffer.core;

/**
 * What {@code sys/seal-status} reports. {@code threshold}/{@code shares} are the unseal key numbers for a
 * Shamir seal; {@code nonce} identifies the unseal attempt in progress (empty when none).
 */
public record SealStatus(String type, boolean initialized, boolean sealed, int threshold, int shares,
                         int progress, String nonce, boolean migration, String clusterName, String clusterId,
                         boolean recoverySeal, String recoverySealType, String storageType) {
}
