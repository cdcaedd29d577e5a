package dev.coffer.token;

import java.time.Duration;

/**
 * Vault's TTL rules for service tokens, in one place:
 * <ul>
 *   <li>a token whose only policy is {@code root} and that asks for no TTL never expires;</li>
 *   <li>a periodic token's TTL is its period; otherwise the requested TTL, or the mount default;</li>
 *   <li>the result is capped by the mount's max TTL (for non-periodic tokens) and by {@code explicit_max_ttl}.</li>
 * </ul>
 * A renewal may never take a token past creation + explicit max, nor (non-periodic) past creation + max TTL.
 */
public final class TokenTtls {
    /** Vault's system default and maximum lease TTL: 32 days. */
    public static final Duration SYSTEM_MAX = Duration.ofHours(768);

    private TokenTtls() {
    }

    /** The TTL in seconds a new token gets; 0 means it never expires. */
    static long initialTtl(TokenRequest r) {
        boolean rootOnly = r.policies().size() == 1 && r.policies().get(0).equals("root");
        long explicitMax = r.explicitMaxTtl().toSeconds();
        long ttl;
        if (!r.period().isZero()) {
            ttl = r.period().toSeconds();
        } else if (!r.ttl().isZero()) {
            ttl = Math.min(r.ttl().toSeconds(), r.maxTtl().toSeconds());
        } else if (rootOnly && explicitMax == 0) {
            return 0;
        } else {
            ttl = Math.min(r.defaultTtl().toSeconds(), r.maxTtl().toSeconds());
        }
        return explicitMax > 0 ? Math.min(ttl, explicitMax) : ttl;
    }

    /** The new expiry (epoch seconds) after a renewal at {@code now} asking for {@code increment} seconds. */
    static long renewedExpiry(TokenEntry e, long now, long increment, long maxTtl) {
        long ttl = e.period() > 0 ? e.period() : (increment > 0 ? increment : e.creationTtl());
        long expire = now + ttl;
        if (e.period() == 0) {
            expire = Math.min(expire, e.creationTime() + maxTtl);
        }
        if (e.explicitMaxTtl() > 0) {
            expire = Math.min(expire, e.creationTime() + e.explicitMaxTtl());
        }
        return expire;
    }
}
