package dev.coffer.seal;

import java.util.Arrays;
import java.util.Objects;

/**
 * A value encrypted by a {@link KmsWrapper}, self-describing so that it can be decrypted after the KMS key
 * was rotated: which mechanism produced it, which KMS key (and version) wrapped the data key, the IV, the
 * wrapped data key (absent for mechanisms without an envelope) and the ciphertext (AES-256-GCM with the tag).
 * Serialized as JSON by {@link BlobCodec}.
 */
public record BlobInfo(String wrapperType, String mechanism, String keyId, byte[] iv, byte[] wrappedKey,
                       byte[] ciphertext) {

    public BlobInfo {
        Objects.requireNonNull(wrapperType, "wrapperType");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(ciphertext, "ciphertext");
        iv = iv == null ? new byte[0] : iv.clone();
        wrappedKey = wrappedKey == null ? new byte[0] : wrappedKey.clone();
        ciphertext = ciphertext.clone();
        keyId = keyId == null ? "" : keyId;
    }

    /**
     * Fails with {@link SealException.Reason#CONFIG} unless this blob was made by the seal {@code type} with
     * {@code mechanism}: the configured seal is not the one that wrote it (a seal stanza or a migration is missing).
     */
    public void requireWrappedBy(String type, String mechanism) throws SealException {
        if (!type.equals(wrapperType) || !mechanism.equals(this.mechanism)) {
            throw new SealException(SealException.Reason.CONFIG, "the stored blob was wrapped by seal type '"
                    + wrapperType + "' (" + this.mechanism + "), not by " + type
                    + ": configure the matching seal or migrate the seal");
        }
    }

    @Override public byte[] iv() { return iv.clone(); }
    @Override public byte[] wrappedKey() { return wrappedKey.clone(); }
    @Override public byte[] ciphertext() { return ciphertext.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobInfo b && wrapperType.equals(b.wrapperType) && mechanism.equals(b.mechanism)
                && keyId.equals(b.keyId) && Arrays.equals(iv, b.iv) && Arrays.equals(wrappedKey, b.wrappedKey)
                && Arrays.equals(ciphertext, b.ciphertext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(wrapperType, mechanism, keyId, Arrays.hashCode(ciphertext));
    }

    @Override
    public String toString() {
        return "BlobInfo[" + wrapperType + ", " + mechanism + ", keyId=" + keyId + ", " + ciphertext.length + " bytes]";
    }
}
