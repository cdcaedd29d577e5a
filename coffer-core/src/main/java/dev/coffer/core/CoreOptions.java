package dev.coffer.core;

import dev.coffer.seal.KmsWrapper;
import dev.coffer.storage.ReadCache;
import dev.coffer.storage.StorageBackend;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the core needs from the outside, decided before it starts.
 *
 * @param storage               the storage backend (untrusted bytes)
 * @param storageType           the {@code storage "TYPE"} label, shown in status
 * @param clusterName           the configured {@code cluster_name}, or null to use the stored / generated one
 * @param apiAddr               address advertised to clients ({@code api_addr}), may be null
 * @param clusterAddr           address advertised to other nodes ({@code cluster_addr}), may be null
 * @param rotationCheckInterval how often the active node checks whether the keyring is due for rotation
 * @param autoSeal              the KMS that wraps the root key (an auto seal), or null for Shamir unseal keys
 * @param sealHealthInterval    how often an unsealed node checks its auto seal's KMS (default 1 minute)
 * @param previousSeal          the KMS of a seal stanza marked {@code disabled = "true"}: the seal being migrated
 *                              away from (unwraps the stored root key until {@code operator unseal -migrate}), or null
 * @param cacheSize             entries kept by the storage read cache ({@code cache_size}); 0 turns it off
 *                              ({@code disable_cache}). The convenience constructors use {@link ReadCache#DEFAULT_SIZE}.
 */
public record CoreOptions(StorageBackend storage, String storageType, String clusterName, String apiAddr,
                          String clusterAddr, Duration rotationCheckInterval, SecureRandom random, Clock clock,
                          KmsWrapper autoSeal, Duration sealHealthInterval, KmsWrapper previousSeal, int cacheSize) {

    public CoreOptions {
        Objects.requireNonNull(storage, "storage");
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize must be 0 (no cache) or more, got " + cacheSize);
        }
        Objects.requireNonNull(storageType, "storageType");
        rotationCheckInterval = rotationCheckInterval == null ? Duration.ofMinutes(5) : rotationCheckInterval;
        random = random == null ? new SecureRandom() : random;
        clock = clock == null ? Clock.systemUTC() : clock;
        sealHealthInterval = sealHealthInterval == null ? Duration.ofMinutes(1) : sealHealthInterval;
    }

    public CoreOptions(StorageBackend storage, String storageType, String clusterName, String apiAddr, String clusterAddr,
                       Duration rotationCheckInterval, SecureRandom random, Clock clock, KmsWrapper autoSeal,
                       Duration sealHealthInterval, KmsWrapper previousSeal) {
        this(storage, storageType, clusterName, apiAddr, clusterAddr, rotationCheckInterval, random, clock, autoSeal,
                sealHealthInterval, previousSeal, ReadCache.DEFAULT_SIZE);
    }

    public CoreOptions(StorageBackend storage, String storageType, String clusterName, String apiAddr, String clusterAddr,
                       Duration rotationCheckInterval, SecureRandom random, Clock clock, KmsWrapper autoSeal,
                       Duration sealHealthInterval) {
        this(storage, storageType, clusterName, apiAddr, clusterAddr, rotationCheckInterval, random, clock, autoSeal,
                sealHealthInterval, null);
    }

    public static CoreOptions of(StorageBackend storage, String storageType) {
        return new CoreOptions(storage, storageType, null, null, null, null, null, null, null, null);
    }

    public CoreOptions withAutoSeal(KmsWrapper kms) {
        return new CoreOptions(storage, storageType, clusterName, apiAddr, clusterAddr, rotationCheckInterval, random, clock,
                kms, sealHealthInterval, previousSeal, cacheSize);
    }

    /** The seal being migrated away from (a {@code disabled = "true"} stanza). */
    public CoreOptions withPreviousSeal(KmsWrapper kms) {
        return new CoreOptions(storage, storageType, clusterName, apiAddr, clusterAddr, rotationCheckInterval, random, clock,
                autoSeal, sealHealthInterval, kms, cacheSize);
    }

    /** With a read cache of {@code entries} entries, or none for 0 ({@code cache_size}, {@code disable_cache}). */
    public CoreOptions withCacheSize(int entries) {
        return new CoreOptions(storage, storageType, clusterName, apiAddr, clusterAddr, rotationCheckInterval, random, clock,
                autoSeal, sealHealthInterval, previousSeal, entries);
    }
}
