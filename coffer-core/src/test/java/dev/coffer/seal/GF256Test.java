package dev.coffer.seal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GF256Test {

    /** Reference multiplication through log/exp tables over generator 3, built independently of GF256. */
    private static final int[] EXP = new int[510];
    private static final int[] LOG = new int[256];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = x;
            EXP[i + 255] = x;
            LOG[x] = i;
            int doubled = x << 1;
            if ((doubled & 0x100) != 0) {
                doubled ^= 0x11b;
            }
            x = doubled ^ x;
        }
    }

    private static int tableMul(int a, int b) {
        return a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]];
    }

    @Test
    void multiplication_matchesLogExpTables_forEveryPairOfBytes() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                assertThat(GF256.mul(a, b)).as("%02x * %02x", a, b).isEqualTo(tableMul(a, b));
            }
        }
    }

    @Test
    void multiplication_matchesFips197Examples() {
        assertThat(GF256.mul(0x57, 0x83)).isEqualTo(0xc1);
        assertThat(GF256.mul(0x57, 0x13)).isEqualTo(0xfe);
        assertThat(GF256.mul(0x53, 0xca)).isEqualTo(0x01);
    }

    @Test
    void inverse_timesValue_isOne_forEveryNonZeroByte() {
        for (int a = 1; a < 256; a++) {
            assertThat(GF256.mul(a, GF256.inv(a))).as("%02x", a).isEqualTo(1);
            assertThat(GF256.inv(a)).isEqualTo(EXP[(255 - LOG[a]) % 255]);
        }
    }

    @Test
    void inverseOfZero_isZero() {
        assertThat(GF256.inv(0)).isZero();
    }

    @Test
    void division_undoesMultiplication() {
        for (int a = 0; a < 256; a++) {
            for (int b = 1; b < 256; b++) {
                assertThat(GF256.div(GF256.mul(a, b), b)).isEqualTo(a);
            }
        }
    }

    @Test
    void multiplication_ignoresBitsAboveTheLowByte() {
        assertThat(GF256.mul(0x157, -125)).isEqualTo(GF256.mul(0x57, 0x83));
    }
}
