package dev.coffer.core;

import dev.coffer.CofferException;
import dev.coffer.barrier.StoragePaths;
import dev.coffer.seal.BlobCodec;
import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.MultiSeal;
import dev.coffer.seal.MultiSealBlob;
import dev.coffer.seal.SealException;
import dev.coffer.seal.Shamir;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An auto seal: a KMS wraps the root key, so the node unseals itself. Recovery key shares only authorize
 * privileged operations: they combine into a recovery key that is checked against the KMS-wrapped copy
 * stored at {@code core/recovery-key}; they cannot decrypt anything (losing the KMS key loses the data).
 */
final class AutoSealKeys {
    static final byte[] ROOT_AAD = StoragePaths.BARRIER_UNSEAL_KEYS.getBytes(StandardCharsets.UTF_8);
    static final byte[] RECOVERY_AAD = StoragePaths.RECOVERY_KEY.getBytes(StandardCharsets.UTF_8);

    private AutoSealKeys() {
    }

    /** A recovery share set (the entry holds the KMS-wrapped recovery key and the share digests). */
    record Recovery(UnsealKeysEntry entry, List<byte[]> shares) {
    }

    /** Wraps the root key with the KMS: the entry stored at {@code core/hsm/barrier-unseal-keys}. */
    static UnsealKeysEntry wrapRootKey(KmsWrapper kms, byte[] rootKey) throws SealException {
        return new UnsealKeysEntry(BlobCodec.encode(kms.encrypt(rootKey, ROOT_AAD)), 1, 1, null, List.of());
    }

    /** A fresh recovery key, wrapped by the KMS and split into shares; the caller hands out and wipes them. */
    static Recovery issueRecovery(KmsWrapper kms, int shares, int threshold, SecureRandom random) throws SealException {
        ShamirKeys.validate(shares, threshold);
        byte[] recoveryKey = new byte[ShamirKeys.KEY_BYTES];
        random.nextBytes(recoveryKey);
        try {
            BlobInfo recoveryBlob = kms.encrypt(recoveryKey, RECOVERY_AAD);
            List<byte[]> parts = Shamir.split(recoveryKey, shares, threshold, random);
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            List<String> digests = new ArrayList<>();
            for (byte[] p : parts) {
                digests.add(KeyShares.digest(salt, p));
            }
            return new Recovery(new UnsealKeysEntry(BlobCodec.encode(recoveryBlob), shares, threshold, salt, digests), parts);
        } finally {
            Arrays.fill(recoveryKey, (byte) 0);
        }
    }

    /** Asks the KMS for the root key; the caller wipes it. */
    static byte[] unwrapRootKey(KmsWrapper kms, UnsealKeysEntry rootEntry) throws SealException {
        return decrypt(kms, BlobCodec.decode(rootEntry.blob()), ROOT_AAD);
    }

    /**
     * Decrypts a stored blob. A single seal reading a multiseal blob (enable_multiseal removed, one seal left)
     * uses its own type's copy, so leaving multiseal needs no migration.
     */
    static byte[] decrypt(KmsWrapper kms, BlobInfo blob, byte[] aad) throws SealException {
        if (!(kms instanceof MultiSeal) && MultiSealBlob.isMulti(blob)) {
            SealException last = new SealException(SealException.Reason.KEY_NOT_FOUND, "the stored key is wrapped by "
                    + "several seals (multiseal) and none of them is a " + kms.type() + " seal; configure those seals "
                    + "again with enable_multiseal = true");
            for (MultiSealBlob.Copy copy : MultiSealBlob.copies(blob)) {
                if (copy.type().equals(kms.type())) {
                    try {
                        return kms.decrypt(copy.blob(), aad);
                    } catch (SealException e) {
                        last = e; // two seals of one type: the next copy may be this one's
                    }
                }
            }
            throw last;
        }
        return kms.decrypt(blob, aad);
    }

    /** Whether this seal (or one of a multiseal) can read the stored root key blob, by its recorded type or names. */
    static boolean readable(KmsWrapper kms, UnsealKeysEntry rootEntry) {
        try {
            BlobInfo blob = BlobCodec.decode(rootEntry.blob());
            if (kms instanceof MultiSeal ms) {
                return ms.canRead(blob);
            }
            return blob.wrapperType().equals(kms.type()) || MultiSealBlob.copyOfType(blob, kms.type()).isPresent();
        } catch (SealException e) {
            return false;
        }
    }

    /** Checks that {@code shares} combine into this vault's recovery key (asks the KMS for the stored copy). */
    static void verifyRecoveryShares(KmsWrapper kms, UnsealKeysEntry recoveryEntry, List<byte[]> shares) throws SealException {
        byte[] combined = shares.size() == 1 ? Arrays.copyOf(shares.get(0), ShamirKeys.KEY_BYTES) : Shamir.combine(shares);
        byte[] stored = decrypt(kms, BlobCodec.decode(recoveryEntry.blob()), RECOVERY_AAD);
        try {
            if (!MessageDigest.isEqual(combined, stored)) {
                throw new CofferException.BadRequest("the recovery keys given do not combine into this vault's recovery "
                        + "key; progress was reset, start again with the right keys");
            }
        } finally {
            Arrays.fill(combined, (byte) 0);
            Arrays.fill(stored, (byte) 0);
        }
    }

    /**
     * Re-wraps an entry's blob under the KMS key's current version when it names an older one (KMS key
     * rotation); empty when it is current already.
     */
    static Optional<UnsealKeysEntry> rewrapIfStale(KmsWrapper kms, UnsealKeysEntry entry, byte[] aad) throws SealException {
        BlobInfo blob = BlobCodec.decode(entry.blob());
        if (kms instanceof MultiSeal ms) {
            if (!ms.needsRefresh(blob)) {
                return Optional.empty();
            }
            byte[] plain = ms.decrypt(blob, aad);
            try {
                BlobInfo fresh = ms.refresh(blob, plain, aad);
                // a seal that is still down keeps its old copy (or none): nothing to write when nothing changed
                if (MultiSealBlob.isMulti(blob) && fresh.keyId().equals(blob.keyId())) {
                    return Optional.empty();
                }
                return Optional.of(new UnsealKeysEntry(BlobCodec.encode(fresh), entry.secretShares(),
                        entry.secretThreshold(), entry.shareDigestSalt(), entry.shareDigests()));
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
        String current = kms.keyId();
        // an empty id: the KMS cannot name its current key right now; the next unseal or rewrap tries again
        if (current == null || current.isEmpty() || blob.keyId().equals(current)) {
            return Optional.empty();
        }
        byte[] plain = decrypt(kms, blob, aad);
        try {
            BlobInfo fresh = kms.encrypt(plain, aad);
            return Optional.of(new UnsealKeysEntry(BlobCodec.encode(fresh), entry.secretShares(), entry.secretThreshold(),
                    entry.shareDigestSalt(), entry.shareDigests()));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The KMS key version a stored entry was wrapped with. */
    static String keyIdOf(UnsealKeysEntry entry) throws SealException {
        return BlobCodec.decode(entry.blob()).keyId();
    }
}
