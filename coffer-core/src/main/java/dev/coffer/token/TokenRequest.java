package dev.coffer.token;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a caller asks for when issuing a token. Durations of zero mean "not set". The store applies the TTL
 * rules ({@link TokenTtls}); policy checks against the parent are the caller's (the token backend's) job.
 *
 * @param parent     the issuing token, or null for an orphan
 * @param policies   final policy names (already normalized and checked)
 * @param defaultTtl TTL when none is requested (mount {@code default_lease_ttl} or 768h)
 * @param maxTtl     the ceiling for any TTL (mount {@code max_lease_ttl} or 768h)
 */
public record TokenRequest(TokenEntry parent, List<String> policies, String displayName, Map<String, String> meta,
                           Duration ttl, Duration explicitMaxTtl, Duration period, int numUses, boolean renewable,
                           String path, Duration defaultTtl, Duration maxTtl) {

    public TokenRequest {
        policies = List.copyOf(policies);
        meta = meta == null ? Map.of() : Map.copyOf(meta);
        ttl = ttl == null ? Duration.ZERO : ttl;
        explicitMaxTtl = explicitMaxTtl == null ? Duration.ZERO : explicitMaxTtl;
        period = period == null ? Duration.ZERO : period;
        defaultTtl = defaultTtl == null ? TokenTtls.SYSTEM_MAX : defaultTtl;
        maxTtl = maxTtl == null ? TokenTtls.SYSTEM_MAX : maxTtl;
        if (numUses < 0) {
            throw new dev.coffer.CofferException.BadRequest("num_uses cannot be negative; use 0 for unlimited");
        }
    }

    /** A plain request with defaults: a child of {@code parent} with these policies. */
    public static TokenRequest child(TokenEntry parent, List<String> policies, Duration ttl) {
        return new TokenRequest(parent, policies, "token", Map.of(), ttl, null, null, 0, true, "auth/token/create",
                null, null);
    }
}
