package dev.coffer.core;

import dev.coffer.CofferException;
import dev.coffer.barrier.StoragePaths;
import dev.coffer.seal.BlobCodec;
import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.SealException;
import dev.coffer.seal.ShamirWrapper;
import dev.coffer.storage.StorageBackend;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A seal migration between the seal recorded in storage ({@code from}) and the configured one ({@code to});
 * null on either side means Shamir. The key shares never change: Shamir unseal keys become recovery keys
 * (shamir -> auto), recovery keys become unseal keys (auto -> shamir), recovery keys carry over (auto -> auto).
 * That works because both kinds of share combine into a 32-byte secret: the unseal key that wraps the root
 * key, or the recovery key the KMS keeps a wrapped copy of. Migration re-homes that secret and the root key.
 *
 * <p><b>Crash safety.</b> Storage has no transactions, so {@link #complete} writes in an order where every
 * prefix is recoverable by running the same migration again with the same configuration and the same keys:
 * <ol>
 *   <li>the recovery key entry and recovery config (new seal's copy of the shares' secret), when the target
 *       is an auto seal: harmless while the rest still says the old seal;</li>
 *   <li>the root key entry, wrapped by the new seal;</li>
 *   <li>{@code core/seal-config} with the new type, <em>last</em>: the commit point;</li>
 *   <li>for a target of Shamir, the now-unused recovery entries are deleted after the commit.</li>
 * </ol>
 * A repeated migration recognises a half-done one (root entry already wrapped by the target seal, recovery
 * entry already re-wrapped) and finishes it instead of failing.
 */
final class SealMigration {
    final KmsWrapper from;
    final KmsWrapper to;

    SealMigration(KmsWrapper from, KmsWrapper to) {
        this.from = from;
        this.to = to;
    }

    String fromType() {
        return from == null ? Core.SHAMIR : from.type();
    }

    String toType() {
        return to == null ? Core.SHAMIR : to.type();
    }

    /** The kind of key share the operator gives: the old seal's. */
    String keyKind() {
        return from == null ? "unseal" : "recovery";
    }

    String describe() {
        return "seal migration from " + fromType() + " to " + toType() + " pending: unseal with `coffer operator "
                + "unseal -migrate` (\"migrate\": true in sys/unseal) and a threshold of the " + keyKind() + " keys; they "
                + "become the " + (to == null ? "unseal" : "recovery") + " keys";
    }

    /** Which configured seal protects the stored root key, and whether a migration is pending. */
    record Resolution(KmsWrapper current, SealMigration migration, String error, String warning) {
    }

    /**
     * Compares the seal recorded in storage with the configured seals ({@code active}, and {@code previous}
     * marked {@code disabled = "true"}). A same-type migration (e.g. transit -> transit with another key) is
     * told apart from a finished one by asking the active seal whether it can unwrap the stored root key.
     */
    static Resolution resolve(String storedType, KmsWrapper active, KmsWrapper previous, Supplier<UnsealKeysEntry> root) {
        String activeType = active == null ? Core.SHAMIR : active.type();
        String staleDisabled = previous == null ? null : "seal \"" + previous.type() + "\" is marked disabled = \"true\" "
                + "but this vault already uses the " + storedType + " seal (the migration is complete); remove the "
                + "disabled stanza";
        if (Core.SHAMIR.equals(storedType)) {
            if (active == null) {
                return new Resolution(null, null, null, staleDisabled);
            }
            return new Resolution(null, new SealMigration(null, active), null, staleDisabled);
        }
        if (previous != null && previous.type().equals(storedType)) {
            if (active != null && active.type().equals(storedType) && activeUnwraps(active, root)) {
                return new Resolution(active, null, null, staleDisabled);
            }
            return new Resolution(previous, new SealMigration(previous, active), null, null);
        }
        if (active != null && active.type().equals(storedType)) {
            return new Resolution(active, null, null, staleDisabled);
        }
        // several seals (or one left of several): the stored blob names the seals that wrapped it
        if (active != null && readable(active, root)) {
            return new Resolution(active, null, null, staleDisabled);
        }
        String error;
        if (active == null && previous == null) {
            error = "storage was initialized with the " + storedType + " seal; add that seal stanza back, or mark it "
                    + "disabled = \"true\" to migrate to shamir";
        } else {
            error = "storage was initialized with the " + storedType + " seal but the configuration has "
                    + (active == null ? "no active seal" : "the " + activeType + " seal")
                    + (previous == null ? "" : " and a disabled " + previous.type() + " seal")
                    + "; to migrate from " + storedType + " to " + activeType + ", add the " + storedType
                    + " seal stanza with disabled = \"true\"" + (active == null ? "" : " next to the " + activeType + " one")
                    + ", or configure the " + storedType + " seal to keep using it";
        }
        return new Resolution(null, null, error, null);
    }

    private static boolean readable(KmsWrapper active, Supplier<UnsealKeysEntry> root) {
        try {
            return AutoSealKeys.readable(active, root.get());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean activeUnwraps(KmsWrapper active, Supplier<UnsealKeysEntry> root) {
        try {
            Arrays.fill(AutoSealKeys.unwrapRootKey(active, root.get()), (byte) 0);
            return true;
        } catch (SealException | RuntimeException e) {
            return false;
        }
    }

    /** The stored entry whose digests and threshold check the shares given for this migration. */
    UnsealKeysEntry sharesEntry(Core core) {
        if (from == null) {
            UnsealKeysEntry root = core.unsealKeysEntry();
            // a resumed shamir -> auto migration: the root key is already KMS-wrapped, the shares live on as recovery keys
            return isShamirBlob(root) ? root : core.recoveryEntry();
        }
        return core.recoveryEntry();
    }

    /**
     * Checks the shares against the old seal, re-homes the root key and the shares' secret under the new seal,
     * and writes the entries in crash-safe order. Returns the root key (the caller unseals with it and wipes it).
     */
    byte[] complete(Core core, StorageBackend storage, List<byte[]> shares) throws SealException {
        byte[] secret = ShamirKeys.combine(shares);
        byte[] rootKey = null;
        try {
            UnsealKeysEntry rootEntry = core.unsealKeysEntry();
            UnsealKeysEntry sharesEntry;
            UnsealKeysEntry newRoot;
            UnsealKeysEntry newRecovery = null;
            if (from == null) {
                if (isShamirBlob(rootEntry)) {
                    rootKey = ShamirKeys.recoverRootKey(rootEntry, shares);
                    sharesEntry = rootEntry;
                    newRoot = AutoSealKeys.wrapRootKey(to, rootKey);
                    newRecovery = rewrapSecret(secret, sharesEntry);
                } else {
                    // resumed: steps 1 and 2 happened before a crash
                    sharesEntry = core.recoveryEntry();
                    AutoSealKeys.verifyRecoveryShares(to, sharesEntry, shares);
                    rootKey = AutoSealKeys.unwrapRootKey(to, rootEntry);
                    newRoot = rootEntry;
                    newRecovery = sharesEntry;
                }
            } else {
                sharesEntry = core.recoveryEntry();
                verifyWithEither(sharesEntry, shares);
                if (isShamirBlob(rootEntry)) {
                    rootKey = ShamirKeys.recoverRootKey(rootEntry, shares); // resumed auto -> shamir
                } else {
                    rootKey = unwrapWithEither(rootEntry);
                }
                if (to == null) {
                    newRoot = ShamirKeys.wrapWithKey(rootKey, secret, sharesEntry);
                } else {
                    newRoot = AutoSealKeys.wrapRootKey(to, rootKey);
                    newRecovery = rewrapSecret(secret, sharesEntry);
                }
            }
            int n = sharesEntry.secretShares();
            int t = sharesEntry.secretThreshold();
            if (newRecovery != null) {
                storage.put(StoragePaths.RECOVERY_KEY, Json.write(newRecovery));
                storage.put(StoragePaths.RECOVERY_CONFIG, Json.write(new SealConfig(Core.SHAMIR, n, t)));
            }
            storage.put(StoragePaths.BARRIER_UNSEAL_KEYS, Json.write(newRoot));
            storage.put(StoragePaths.SEAL_CONFIG, Json.write(to == null ? new SealConfig(Core.SHAMIR, n, t)
                    : new SealConfig(to.type(), 1, 1)));
            if (to == null) {
                storage.delete(StoragePaths.RECOVERY_KEY);
                storage.delete(StoragePaths.RECOVERY_CONFIG);
            }
            byte[] result = rootKey;
            rootKey = null;
            return result;
        } finally {
            Arrays.fill(secret, (byte) 0);
            if (rootKey != null) {
                Arrays.fill(rootKey, (byte) 0);
            }
        }
    }

    private UnsealKeysEntry rewrapSecret(byte[] secret, UnsealKeysEntry sharesEntry) throws SealException {
        return new UnsealKeysEntry(BlobCodec.encode(to.encrypt(secret, AutoSealKeys.RECOVERY_AAD)),
                sharesEntry.secretShares(), sharesEntry.secretThreshold(), sharesEntry.shareDigestSalt(),
                sharesEntry.shareDigests());
    }

    /** The recovery entry is the old seal's, or already the new seal's when a migration is resumed. */
    private void verifyWithEither(UnsealKeysEntry recovery, List<byte[]> shares) throws SealException {
        try {
            AutoSealKeys.verifyRecoveryShares(from, recovery, shares);
        } catch (SealException e) {
            if (to == null) {
                throw e;
            }
            try {
                AutoSealKeys.verifyRecoveryShares(to, recovery, shares);
            } catch (SealException second) {
                throw e;
            }
        }
    }

    private byte[] unwrapWithEither(UnsealKeysEntry rootEntry) throws SealException {
        try {
            return AutoSealKeys.unwrapRootKey(from, rootEntry);
        } catch (SealException e) {
            if (to == null) {
                throw e;
            }
            try {
                return AutoSealKeys.unwrapRootKey(to, rootEntry);
            } catch (SealException second) {
                throw e;
            }
        }
    }

    private static boolean isShamirBlob(UnsealKeysEntry entry) {
        try {
            return ShamirWrapper.TYPE.equals(BlobCodec.decode(entry.blob()).wrapperType());
        } catch (SealException e) {
            throw new CofferException.Internal("the stored root key entry is unreadable: " + e.getMessage(), e);
        }
    }
}
