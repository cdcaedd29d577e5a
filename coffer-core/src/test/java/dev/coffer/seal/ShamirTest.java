package dev.coffer.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ShamirTest {

    private static final HexFormat HEX = HexFormat.of();

    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed); // before first use, so the stream is fully determined by the seed
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<byte[]> pick(List<byte[]> shares, int count, long seed) {
        List<byte[]> shuffled = new ArrayList<>(shares);
        Collections.shuffle(shuffled, new Random(seed));
        return new ArrayList<>(shuffled.subList(0, count));
    }

    private static List<String> hex(List<byte[]> shares) {
        return shares.stream().map(HEX::formatHex).collect(Collectors.toList());
    }

    // ---- properties ------------------------------------------------------------------------------------

    @Property(tries = 300)
    void anyThresholdShares_rebuildTheSecret(@ForAll @Size(min = 1, max = 64) byte[] secret,
                                             @ForAll @IntRange(min = 2, max = 20) int parts,
                                             @ForAll @IntRange(min = 2, max = 20) int threshold,
                                             @ForAll long seed) {
        Assume.that(threshold <= parts);
        List<byte[]> shares = Shamir.split(secret, parts, threshold, seeded(seed));

        assertThat(shares).hasSize(parts).allSatisfy(s -> assertThat(s).hasSize(secret.length + 1));
        assertThat(Shamir.combine(pick(shares, threshold, seed))).isEqualTo(secret);
        assertThat(Shamir.combine(pick(shares, parts, ~seed))).isEqualTo(secret);
    }

    @Property(tries = 300)
    void fewerThanThresholdShares_neverRebuildTheSecret(@ForAll @Size(min = 16, max = 64) byte[] secret,
                                                        @ForAll @IntRange(min = 2, max = 20) int parts,
                                                        @ForAll @IntRange(min = 2, max = 20) int threshold,
                                                        @ForAll long seed) {
        Assume.that(threshold <= parts);
        List<byte[]> shares = Shamir.split(secret, parts, threshold, seeded(seed));

        // 16+ byte secrets make an accidental match (probability 2^-128) impossible in practice
        assertThat(Shamir.combine(pick(shares, threshold - 1, seed))).isNotEqualTo(secret);
    }

    @Property(tries = 200)
    void aCorruptedShare_rebuildsADifferentSecret(@ForAll @Size(min = 1, max = 32) byte[] secret,
                                                  @ForAll @IntRange(min = 2, max = 10) int threshold,
                                                  @ForAll @IntRange(min = 0, max = 1000) int where,
                                                  @ForAll long seed) {
        List<byte[]> shares = pick(Shamir.split(secret, threshold, threshold, seeded(seed)), threshold, seed);
        byte[] victim = shares.get(where % threshold);
        victim[where % secret.length] ^= 0x01; // a y-byte, never the x-coordinate

        assertThat(Shamir.combine(shares)).isNotEqualTo(secret);
    }

    @Property(tries = 100)
    void xCoordinates_areDistinctAndNonZero(@ForAll @IntRange(min = 2, max = 255) int parts, @ForAll long seed) {
        List<byte[]> shares = Shamir.split(new byte[] {1}, parts, 2, seeded(seed));

        assertThat(shares.stream().map(s -> s[1] & 0xff).distinct().count()).isEqualTo(parts);
        assertThat(shares).noneMatch(s -> s[1] == 0);
    }

    // ---- known answers (expected bytes computed with a separate log/exp-table implementation) -----------

    @Test
    void split_withKnownRandomStream_producesExactShares_degreeOne() {
        // x draws: 0x00 rejected, 0x05, 0x05 rejected as repeat, 0x9c, 0x01; then one coefficient per byte
        ByteStreamRandom random = new ByteStreamRandom(0x00, 0x05, 0x05, 0x9c, 0x01, 0x11, 0xa0, 0x00);

        List<byte[]> shares = Shamir.split(new byte[] {0x42, 0x17, (byte) 0xff}, 3, 2, random);

        assertThat(hex(shares)).containsExactly("1701ff05", "dd09ff9c", "53b7ff01");
        assertThat(random.consumed()).isEqualTo(8);
    }

    @Test
    void split_withKnownRandomStream_producesExactShares_degreeTwo() {
        ByteStreamRandom random = new ByteStreamRandom(0x10, 0x20, 0x30, 0xfe, 0x01, 0x02, 0xde, 0xad);

        List<byte[]> shares = Shamir.split(new byte[] {0x53, (byte) 0xca}, 4, 3, random);

        assertThat(hex(shares)).containsExactly("754810", "ab4d20", "8dcf30", "8955fe");
    }

    @Test
    void combine_ofHandWrittenShares_givesTheKnownSecret() {
        List<byte[]> shares = List.of(HEX.parseHex("e7d09d80c27807"), HEX.parseHex("b6b76ef0666bc8"),
                HEX.parseHex("3d82eab9dd4633"));

        assertThat(new String(Shamir.combine(shares), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("coffer");
        assertThat(Shamir.combine(List.of(shares.get(2), shares.get(0), shares.get(1)))).isEqualTo("coffer".getBytes());
    }

    // ---- single-share mode and argument checks ------------------------------------------------------------

    @Test
    void oneOfOne_shareIsTheSecretPlusX_andCombinesBack() {
        byte[] secret = {9, 8, 7};

        List<byte[]> shares = Shamir.split(secret, 1, 1, new ByteStreamRandom(0x00, 0x2a));

        assertThat(HEX.formatHex(shares.get(0))).isEqualTo("0908072a");
        assertThat(Shamir.combine(shares)).isEqualTo(secret);
    }

    @Test
    void split_rejectsInvalidPartsAndThreshold() {
        byte[] secret = {1};
        SecureRandom random = new SecureRandom();
        for (int[] bad : new int[][] {{2, 1}, {1, 2}, {3, 4}, {256, 2}, {0, 0}, {5, 0}, {-1, -1}}) {
            assertThatThrownBy(() -> Shamir.split(secret, bad[0], bad[1], random))
                    .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("threshold");
        }
    }

    @Test
    void split_acceptsTheLargestShareCount() {
        assertThat(Shamir.split(new byte[] {1}, 255, 255, new SecureRandom())).hasSize(255);
    }

    @Test
    void split_rejectsAnEmptySecret() {
        assertThatThrownBy(() -> Shamir.split(new byte[0], 3, 2, new SecureRandom()))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("empty");
    }

    @Test
    void combine_rejectsDuplicateShares() {
        List<byte[]> shares = Shamir.split(new byte[] {1, 2, 3}, 3, 2, new SecureRandom());

        assertThatThrownBy(() -> Shamir.combine(List.of(shares.get(0), shares.get(1), shares.get(0).clone())))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("twice");
    }

    @Test
    void combine_rejectsSharesOfDifferentLengths() {
        assertThatThrownBy(() -> Shamir.combine(List.of(new byte[] {1, 2, 3}, new byte[] {1, 4})))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("different lengths");
    }

    @Test
    void combine_rejectsNoShares() {
        assertThatThrownBy(() -> Shamir.combine(List.of()))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("no key shares");
    }

    @Test
    void combine_rejectsSharesThatAreTooShortOrHaveXZero() {
        assertThatThrownBy(() -> Shamir.combine(List.of(new byte[] {1})))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> Shamir.combine(List.of(new byte[] {1, 0}, new byte[] {2, 1})))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("x-coordinate 0");
    }
}
