package dev.coffer.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The seal's settings, stored in plaintext at {@code core/seal-config} because they are needed while sealed.
 * For a Shamir seal the authoritative share numbers are those of the {@link UnsealKeysEntry} (written in the
 * same storage write as the wrapped root key); this record mirrors them in Vault's familiar place.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SealConfig(
        @JsonProperty("type") String type,
        @JsonProperty("secret_shares") int secretShares,
        @JsonProperty("secret_threshold") int secretThreshold) {
}
