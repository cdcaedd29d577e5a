package dev.coffer.core;

/**
 * What {@code sys/seal-status} reports. {@code threshold}/{@code shares} are the unseal key numbers for a
 * Shamir seal and the recovery key numbers for an auto seal; {@code nonce} identifies the unseal attempt in
 * progress (empty when none); {@code autoUnsealError} says why an auto seal could not unseal (null when fine).
 */
public record SealStatus(String type, boolean initialized, boolean sealed, int threshold, int shares,
                         int progress, String nonce, boolean migration, String clusterName, String clusterId,
                         boolean recoverySeal, String recoverySealType, String storageType, String autoUnsealError) {
}
