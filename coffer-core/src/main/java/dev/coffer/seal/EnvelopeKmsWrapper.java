package dev.coffer.seal;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Base of the cloud seals that use envelope encryption: {@link #encrypt} seals the plaintext locally
 * ({@link Envelope}) under a fresh data key and has the KMS wrap that key; {@link #decrypt} has the KMS unwrap it
 * and opens the blob. A subclass only talks to its KMS ({@link #wrap}, {@link #unwrap}); the data key is zeroed
 * here once the blob is made or opened.
 *
 * <p>Guarantee: the data key leaves this process only wrapped by the KMS, and decrypt returns the plaintext only if
 * the blob and the associated data are exactly those encrypt produced.
 */
public abstract class EnvelopeKmsWrapper implements KmsWrapper {

    private final String type;
    private final String mechanism;
    private final SecureRandom random;

    protected EnvelopeKmsWrapper(String type, String mechanism, SecureRandom random) {
        this.type = Objects.requireNonNull(type, "type");
        this.mechanism = Objects.requireNonNull(mechanism, "mechanism");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public final String type() {
        return type;
    }

    /**
     * True when the blob was wrapped by another key (or key version) than {@link #keyId()} names now, i.e. it should
     * be re-wrapped; false while the current key is unknown ({@code keyId()} is "").
     */
    public boolean needsRewrap(BlobInfo blob) {
        String current = keyId();
        return !current.isEmpty() && !current.equals(blob.keyId());
    }

    @Override
    public final BlobInfo encrypt(byte[] plaintext, byte[] aad) throws SealException {
        Objects.requireNonNull(plaintext, "plaintext");
        String wrappingKey = wrappingKey();
        byte[] dataKey = Envelope.newDataKey(random);
        try {
            byte[] iv = Envelope.newIv(random);
            byte[] ciphertext = Envelope.seal(type, dataKey, iv, plaintext, aad);
            WrappedKey wrapped = wrap(wrappingKey, dataKey, aad);
            return new BlobInfo(type, mechanism, wrapped.keyId(), iv, wrapped.bytes(), ciphertext);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    @Override
    public final byte[] decrypt(BlobInfo blob, byte[] aad) throws SealException {
        blob.requireWrappedBy(type, mechanism);
        byte[] dataKey = unwrap(blob, aad);
        try {
            return Envelope.open(type, dataKey, blob.iv(), blob.ciphertext(), aad);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** The key (or key version) the next data key is wrapped with; asked before that data key is made. */
    protected abstract String wrappingKey() throws SealException;

    /**
     * Has the KMS wrap {@code dataKey} with {@code wrappingKey}, binding {@code aad} too where the KMS can. The
     * data key must not be kept: it is zeroed after this returns.
     */
    protected abstract WrappedKey wrap(String wrappingKey, byte[] dataKey, byte[] aad) throws SealException;

    /**
     * Checks that the blob (already known to be of this seal type and mechanism) names a key of this KMS and
     * carries a wrapped data key, and has the KMS unwrap it. The caller zeroes the returned key; when this method
     * fails after the KMS answered, it zeroes the key itself.
     */
    protected abstract byte[] unwrap(BlobInfo blob, byte[] aad) throws SealException;

    /**
     * A data key as the KMS wrapped it.
     *
     * @param keyId the key (or key version) the KMS reports having used, recorded in the blob
     */
    public record WrappedKey(String keyId, byte[] bytes) {
    }
}
