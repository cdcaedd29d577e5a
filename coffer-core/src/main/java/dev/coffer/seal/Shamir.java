package dev.coffer.seal;

import dev.coffer.CofferException;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Shamir secret sharing over GF(2^8), byte by byte: each secret byte is the constant term of its own random
 * polynomial of degree {@code threshold - 1}, and share {@code i} holds that polynomial evaluated at the
 * share's x-coordinate.
 *
 * <p>Share layout: {@code secret.length} y-bytes followed by one x-coordinate byte (non-zero, distinct
 * across the shares of one split, chosen at random so shares do not reveal their position).
 *
 * <p>Guarantee: any {@code threshold} shares rebuild the secret; fewer reveal nothing about it. Combining
 * fewer shares than the threshold does not fail, it returns an unrelated value (the threshold is not
 * stored anywhere), so callers must verify the result, e.g. with the GCM tag of something it encrypts.
 */
public final class Shamir {

    /** x-coordinates are single non-zero bytes. */
    public static final int MAX_PARTS = 255;

    private Shamir() {
    }

    /**
     * Splits {@code secret} into {@code parts} shares, any {@code threshold} of which rebuild it. Requires
     * {@code 2 <= threshold <= parts <= 255}, or {@code parts == threshold == 1}, in which case the single
     * share is the secret itself followed by an x-coordinate (there is nothing to split).
     *
     * <p>Randomness is drawn only through {@link SecureRandom#nextBytes}: first the x-coordinates (one byte
     * at a time, skipping zero and repeats), then the polynomial coefficients.
     */
    public static List<byte[]> split(byte[] secret, int parts, int threshold, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        checkSplitArguments(secret, parts, threshold);
        int[] xs = drawXCoordinates(parts, random);
        List<byte[]> shares = new ArrayList<>(parts);
        for (int x : xs) {
            byte[] share = new byte[secret.length + 1];
            share[secret.length] = (byte) x;
            shares.add(share);
        }
        if (threshold == 1) {
            System.arraycopy(secret, 0, shares.get(0), 0, secret.length);
            return shares;
        }
        int degree = threshold - 1;
        byte[] coefficients = new byte[secret.length * degree];
        random.nextBytes(coefficients);
        try {
            for (int i = 0; i < secret.length; i++) {
                for (int p = 0; p < parts; p++) {
                    shares.get(p)[i] = (byte) evaluate(secret[i], coefficients, i * degree, degree, xs[p]);
                }
            }
        } finally {
            Arrays.fill(coefficients, (byte) 0);
        }
        return shares;
    }

    /**
     * Rebuilds the secret from shares produced by one {@link #split}. A single share is taken as the
     * {@code parts == threshold == 1} mode and its y-bytes are returned as they are.
     *
     * @throws CofferException.BadRequest when no shares are given, shares differ in length, a share is too
     *                                    short, or two shares have the same x-coordinate
     */
    public static byte[] combine(List<byte[]> shares) {
        checkShares(shares);
        int length = shares.get(0).length - 1;
        if (shares.size() == 1) {
            return Arrays.copyOf(shares.get(0), length);
        }
        int[] basis = lagrangeBasisAtZero(shares, length);
        byte[] secret = new byte[length];
        for (int i = 0; i < length; i++) {
            int value = 0;
            for (int s = 0; s < shares.size(); s++) {
                value ^= GF256.mul(shares.get(s)[i], basis[s]);
            }
            secret[i] = (byte) value;
        }
        return secret;
    }

    /** Horner's rule on {@code secretByte + c1*x + ... + c_degree*x^degree}. */
    private static int evaluate(byte secretByte, byte[] coefficients, int offset, int degree, int x) {
        int y = coefficients[offset + degree - 1] & 0xff;
        for (int k = degree - 2; k >= 0; k--) {
            y = GF256.mul(y, x) ^ (coefficients[offset + k] & 0xff);
        }
        return GF256.mul(y, x) ^ (secretByte & 0xff);
    }

    /**
     * The Lagrange basis polynomials evaluated at 0: {@code l_s(0) = prod_{j != s} x_j / (x_j - x_s)}. They
     * depend only on the public x-coordinates, so they are computed once, not once per secret byte.
     */
    private static int[] lagrangeBasisAtZero(List<byte[]> shares, int length) {
        int[] basis = new int[shares.size()];
        for (int s = 0; s < shares.size(); s++) {
            int xs = shares.get(s)[length] & 0xff;
            int numerator = 1;
            int denominator = 1;
            for (int j = 0; j < shares.size(); j++) {
                if (j != s) {
                    int xj = shares.get(j)[length] & 0xff;
                    numerator = GF256.mul(numerator, xj);
                    denominator = GF256.mul(denominator, GF256.add(xj, xs));
                }
            }
            basis[s] = GF256.div(numerator, denominator);
        }
        return basis;
    }

    private static int[] drawXCoordinates(int parts, SecureRandom random) {
        boolean[] used = new boolean[256];
        int[] xs = new int[parts];
        byte[] one = new byte[1];
        for (int p = 0; p < parts; p++) {
            int x;
            do {
                random.nextBytes(one);
                x = one[0] & 0xff;
            } while (x == 0 || used[x]);
            used[x] = true;
            xs[p] = x;
        }
        return xs;
    }

    private static void checkSplitArguments(byte[] secret, int parts, int threshold) {
        if (secret == null || secret.length == 0) {
            throw new CofferException.BadRequest("cannot split an empty secret");
        }
        if (parts == 1 && threshold == 1) {
            return;
        }
        if (threshold < 2 || threshold > parts || parts > MAX_PARTS) {
            throw new CofferException.BadRequest("invalid key shares/threshold: need 2 <= threshold <= shares <= "
                    + MAX_PARTS + " (or shares = threshold = 1), got shares=" + parts + ", threshold=" + threshold);
        }
    }

    private static void checkShares(List<byte[]> shares) {
        if (shares == null || shares.isEmpty()) {
            throw new CofferException.BadRequest("no key shares given: provide at least the threshold number of shares");
        }
        int length = shares.get(0) == null ? 0 : shares.get(0).length;
        if (length < 2) {
            throw new CofferException.BadRequest("key share is too short to be a share (at least 2 bytes expected)");
        }
        boolean[] seen = new boolean[256];
        for (byte[] share : shares) {
            if (share == null || share.length != length) {
                throw new CofferException.BadRequest("key shares have different lengths: they cannot come from one split");
            }
            int x = share[length - 1] & 0xff;
            if (x == 0) {
                throw new CofferException.BadRequest("key share has x-coordinate 0, so it was not produced by a split");
            }
            if (seen[x]) {
                throw new CofferException.BadRequest("the same key share was given twice (duplicate x-coordinate "
                        + x + "): provide distinct shares");
            }
            seen[x] = true;
        }
    }
}
