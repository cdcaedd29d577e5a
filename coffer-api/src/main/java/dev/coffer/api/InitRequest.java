package dev.coffer.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of {@code PUT sys/init}. A null field is left out so the server applies its own rule: unseal key shares
 * for a Shamir seal, recovery key shares for an auto seal.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InitRequest(Integer secretShares, Integer secretThreshold, Integer recoveryShares,
                          Integer recoveryThreshold) {

    public static InitRequest shamir(int shares, int threshold) {
        return new InitRequest(shares, threshold, null, null);
    }

    public static InitRequest autoSeal(int recoveryShares, int recoveryThreshold) {
        return new InitRequest(null, null, recoveryShares, recoveryThreshold);
    }
}
