package dev.coffer.seal;

/**
 * Arithmetic in GF(2^8) with the AES reduction polynomial x^8 + x^4 + x^3 + x + 1 (0x11b).
 *
 * <p>Every operation runs in constant time: no branches and no table lookups that depend on the operands,
 * because the operands are bytes of secrets (root key, unseal shares) and a log/exp table indexed by them
 * would leak through the cache.
 */
final class GF256 {

    private GF256() {
    }

    /** Addition and subtraction are the same in characteristic 2. */
    static int add(int a, int b) {
        return (a ^ b) & 0xff;
    }

    /** Shift-and-add multiplication; masks replace the data-dependent branches of the textbook loop. */
    static int mul(int a, int b) {
        int x = a & 0xff;
        int y = b & 0xff;
        int product = 0;
        for (int i = 0; i < 8; i++) {
            product ^= x & -(y & 1);
            y >>>= 1;
            // multiply x by the generator x; reduce by 0x1b when bit 7 falls off
            int carry = -((x >>> 7) & 1);
            x = ((x << 1) ^ (0x1b & carry)) & 0xff;
        }
        return product;
    }

    /**
     * Multiplicative inverse as a^254 (Fermat: a^255 = 1 for a != 0), by a fixed chain of squarings and
     * multiplications. Returns 0 for 0, which callers must never divide by.
     */
    static int inv(int a) {
        int a2 = mul(a, a);
        int a3 = mul(a2, a);
        int a6 = mul(a3, a3);
        int a12 = mul(a6, a6);
        int a15 = mul(a12, a3);
        int a30 = mul(a15, a15);
        int a60 = mul(a30, a30);
        int a120 = mul(a60, a60);
        int a126 = mul(a120, a6);
        int a127 = mul(a126, a);
        return mul(a127, a127); // a^254
    }

    static int div(int a, int b) {
        return mul(a, inv(b));
    }
}
