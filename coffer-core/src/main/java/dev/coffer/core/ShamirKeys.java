package dev.coffer.core;

import dev.coffer.CofferException;
import dev.coffer.barrier.StoragePaths;
import dev.coffer.seal.BlobCodec;
import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.SealException;
import dev.coffer.seal.Shamir;
import dev.coffer.seal.ShamirWrapper;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Shamir seal: a random unseal key wraps the root key, and the unseal key is split into shares. The
 * unseal key exists in memory only while shares are being combined or issued.
 */
final class ShamirKeys {
    static final int KEY_BYTES = 32;
    /** A share is the key's bytes plus one x-coordinate byte. */
    static final int SHARE_BYTES = KEY_BYTES + 1;
    private static final byte[] AAD = StoragePaths.BARRIER_UNSEAL_KEYS.getBytes(StandardCharsets.UTF_8);

    private ShamirKeys() {
    }

    /** A fresh share set protecting {@code rootKey}; the caller hands out {@code shares} and wipes them. */
    record Issued(UnsealKeysEntry entry, List<byte[]> shares) {
    }

    static void validate(int shares, int threshold) {
        if (shares < 1 || shares > 255) {
            throw new CofferException.BadRequest("invalid seal configuration: secret_shares must be between 1 and 255, got " + shares);
        }
        if (threshold < 1 || threshold > shares) {
            throw new CofferException.BadRequest("invalid seal configuration: secret_threshold must be between 1 and "
                    + "secret_shares (" + shares + "), got " + threshold);
        }
        if (shares > 1 && threshold < 2) {
            throw new CofferException.BadRequest("invalid seal configuration: secret_threshold must be at least 2 when "
                    + "there are several shares (one share alone would unseal)");
        }
    }

    static Issued issue(byte[] rootKey, int shares, int threshold, SecureRandom random) {
        validate(shares, threshold);
        byte[] unsealKey = new byte[KEY_BYTES];
        random.nextBytes(unsealKey);
        ShamirWrapper wrapper = new ShamirWrapper();
        try {
            wrapper.setKey(unsealKey);
            BlobInfo blob = wrapper.encrypt(rootKey, AAD);
            List<byte[]> parts = Shamir.split(unsealKey, shares, threshold, random);
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            List<String> digests = new ArrayList<>();
            for (byte[] p : parts) {
                digests.add(KeyShares.digest(salt, p));
            }
            return new Issued(new UnsealKeysEntry(BlobCodec.encode(blob), shares, threshold, salt, digests), parts);
        } catch (SealException e) {
            throw new CofferException.Internal("could not wrap the root key with the new unseal key", e);
        } finally {
            wrapper.wipe();
            Arrays.fill(unsealKey, (byte) 0);
        }
    }

    /**
     * Wraps {@code rootKey} with an existing unseal key (seal migration to Shamir: the recovery key becomes the
     * unseal key), keeping the share numbers and digests of {@code sharesFrom}: the same shares keep working.
     */
    static UnsealKeysEntry wrapWithKey(byte[] rootKey, byte[] unsealKey, UnsealKeysEntry sharesFrom) {
        ShamirWrapper wrapper = new ShamirWrapper();
        try {
            wrapper.setKey(unsealKey);
            BlobInfo blob = wrapper.encrypt(rootKey, AAD);
            return new UnsealKeysEntry(BlobCodec.encode(blob), sharesFrom.secretShares(), sharesFrom.secretThreshold(),
                    sharesFrom.shareDigestSalt(), sharesFrom.shareDigests());
        } catch (SealException e) {
            throw new CofferException.Internal("could not wrap the root key with the unseal key", e);
        } finally {
            wrapper.wipe();
        }
    }

    /** The secret the shares combine into (one share alone is the key itself); the caller wipes it. */
    static byte[] combine(List<byte[]> shares) {
        return shares.size() == 1 ? Arrays.copyOf(shares.get(0), KEY_BYTES) : Shamir.combine(shares);
    }

    /** Rejects a key that cannot be one of this vault's unseal key shares, before it counts towards progress. */
    static void checkShare(UnsealKeysEntry entry, byte[] share, int progress) {
        checkShare(entry, share, progress, "unseal");
    }

    /** Same for another kind of share ({@code "recovery"}): the word appears in the error message. */
    static void checkShare(UnsealKeysEntry entry, byte[] share, int progress, String kind) {
        if (share.length != SHARE_BYTES) {
            throw new CofferException.BadRequest("invalid key length: a " + kind + " key is " + SHARE_BYTES
                    + " bytes, this one is " + share.length + "; progress unchanged (" + progress + "/"
                    + entry.secretThreshold() + ")");
        }
        if (!entry.shareDigests().isEmpty()
                && !KeyShares.isKnown(entry.shareDigests(), KeyShares.digest(entry.shareDigestSalt(), share))) {
            throw new CofferException.BadRequest("this key is not one of this vault's " + entry.secretShares() + " "
                    + kind + " keys (wrong key, or a key from before the last rekey); progress unchanged ("
                    + progress + "/" + entry.secretThreshold() + ")");
        }
    }

    /** Combines shares and unwraps the root key; the caller wipes the result. */
    static byte[] recoverRootKey(UnsealKeysEntry entry, List<byte[]> shares) {
        byte[] unsealKey = shares.size() == 1 ? Arrays.copyOf(shares.get(0), KEY_BYTES) : Shamir.combine(shares);
        ShamirWrapper wrapper = new ShamirWrapper();
        try {
            wrapper.setKey(unsealKey);
            return wrapper.decrypt(BlobCodec.decode(entry.blob()), AAD);
        } catch (SealException e) {
            throw new CofferException.BadRequest("the unseal keys given do not open this vault's root key; "
                    + "progress was reset, start again with the right keys");
        } finally {
            wrapper.wipe();
            Arrays.fill(unsealKey, (byte) 0);
        }
    }
}
