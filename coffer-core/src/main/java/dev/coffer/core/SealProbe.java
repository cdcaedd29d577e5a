package dev.coffer.core;

import dev.coffer.barrier.StoragePaths;
import dev.coffer.seal.BlobCodec;
import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.SealException;
import dev.coffer.storage.StorageBackend;
import java.util.Arrays;
import java.util.Optional;

/**
 * For {@code operator diagnose}: can this KMS unwrap the root key actually stored in this storage? Proves the
 * whole auto-unseal path (credentials, permissions, key, recorded key version) without unsealing anything;
 * the unwrapped key is wiped at once.
 */
public final class SealProbe {
    private SealProbe() {
    }

    /** What the probe found. {@code storedKeyId} is the KMS key version the stored blob names. */
    public record Result(boolean initialized, String storedKeyId, boolean unwrapped, SealException error) {
    }

    public static Result probe(StorageBackend storage, KmsWrapper kms) {
        Optional<byte[]> raw = storage.get(StoragePaths.BARRIER_UNSEAL_KEYS);
        if (raw.isEmpty()) {
            return new Result(false, null, false, null);
        }
        UnsealKeysEntry entry = Json.read(raw.get(), UnsealKeysEntry.class, StoragePaths.BARRIER_UNSEAL_KEYS);
        String keyId = null;
        try {
            keyId = AutoSealKeys.keyIdOf(entry);
            byte[] root = AutoSealKeys.unwrapRootKey(kms, entry);
            Arrays.fill(root, (byte) 0);
            return new Result(true, keyId, true, null);
        } catch (SealException e) {
            return new Result(true, keyId, false, e);
        }
    }

    /** The seal names holding a copy of the stored root key (multiseal); empty for a single-seal blob or none. */
    public static java.util.List<String> storedCopyNames(StorageBackend storage) {
        Optional<byte[]> raw = storage.get(StoragePaths.BARRIER_UNSEAL_KEYS);
        if (raw.isEmpty()) {
            return java.util.List.of();
        }
        try {
            UnsealKeysEntry entry = Json.read(raw.get(), UnsealKeysEntry.class, StoragePaths.BARRIER_UNSEAL_KEYS);
            return dev.coffer.seal.MultiSealBlob.copies(BlobCodec.decode(entry.blob())).stream()
                    .map(dev.coffer.seal.MultiSealBlob.Copy::name).filter(n -> !n.isEmpty()).toList();
        } catch (SealException | RuntimeException e) {
            return java.util.List.of();
        }
    }

    /** Whether the vault in this storage was initialized with an auto seal (false for Shamir or uninitialized). */
    public static boolean usesAutoSeal(StorageBackend storage) {
        return storage.get(StoragePaths.SEAL_CONFIG)
                .map(b -> !Core.SHAMIR.equals(Json.read(b, SealConfig.class, StoragePaths.SEAL_CONFIG).type()))
                .orElse(false);
    }
}
