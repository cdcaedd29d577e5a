package dev.coffer.seal;

/**
 * The key-management side of a seal: something that can encrypt and decrypt small secrets (the root key,
 * the recovery key) with a key it never reveals. Implementations: the Shamir wrapper (AES-256-GCM under the
 * key the unseal shares combine into) and one per cloud KMS, each in its own module, found by
 * {@link KmsWrapperFactory#type()}.
 *
 * <p>Guarantee: {@link #decrypt} returns the exact plaintext given to {@link #encrypt} with the same
 * associated data, or throws; it never returns bytes for a tampered blob or a blob of another key.
 */
public interface KmsWrapper extends AutoCloseable {

    /** Seal type shown to operators, e.g. {@code shamir}, {@code azurekeyvault}. */
    String type();

    /** The KMS key id (with version where the KMS has versions) that {@link #encrypt} uses now. */
    String keyId();

    /** Encrypts {@code plaintext}, binding {@code aad} (may be empty). */
    BlobInfo encrypt(byte[] plaintext, byte[] aad) throws SealException;

    /** Decrypts a blob produced by this wrapper type, with any key version it recorded. */
    byte[] decrypt(BlobInfo blob, byte[] aad) throws SealException;

    /** Checks the KMS can be reached and used; the default assumes a local key that is always healthy. */
    default void healthCheck() throws SealException {
    }

    @Override
    default void close() {
    }
}
