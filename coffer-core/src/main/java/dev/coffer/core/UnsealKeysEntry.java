package dev.coffer.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The plaintext entry at {@code core/hsm/barrier-unseal-keys}: the root key wrapped by the seal
 * ({@code blob}, a {@link dev.coffer.seal.BlobCodec} document) together with the share set that unwraps it.
 *
 * <p>The share numbers and salted share digests live in the same entry as the blob so that one storage
 * write replaces both: a crash in the middle of a rekey can never leave new shares described by an old
 * threshold, or digests that reject the only keys that work. The digests let the server refuse a key that
 * is not one of this vault's shares at once, without advancing unseal progress; a share carries 256 bits of
 * entropy, so its digest gives an attacker with storage access nothing to guess.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UnsealKeysEntry(
        @JsonProperty("blob") byte[] blob,
        @JsonProperty("secret_shares") int secretShares,
        @JsonProperty("secret_threshold") int secretThreshold,
        @JsonProperty("share_digest_salt") byte[] shareDigestSalt,
        @JsonProperty("share_digests") List<String> shareDigests) {

    public UnsealKeysEntry {
        shareDigests = shareDigests == null ? List.of() : List.copyOf(shareDigests);
    }
}
