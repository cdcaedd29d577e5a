package dev.coffer.seal;

import java.nio.charset.StandardCharsets;

/**
 * Test data and helpers shared by the tests of the KMS seal modules (shipped in the test-jar): what the core
 * seals, a way to catch the {@link SealException} a call must fail with, and copies of a blob with one part
 * replaced, to tamper with it.
 */
public final class SealFixtures {

    /** 32 bytes standing in for the root key; never modified. */
    public static final byte[] ROOT_KEY = "thirty-two bytes of root key!!!!".getBytes(StandardCharsets.US_ASCII);
    /** The associated data the core binds to the sealed root key; never modified. */
    public static final byte[] AAD = "core/hsm/barrier-unseal-keys".getBytes(StandardCharsets.US_ASCII);

    private SealFixtures() {
    }

    /** A call that is expected to throw. */
    @FunctionalInterface
    public interface ThrowingCall {
        void run() throws Exception;
    }

    /** The {@link SealException} the call throws; an {@link AssertionError} if it throws another or succeeds. */
    public static SealException failure(ThrowingCall call) {
        try {
            call.run();
        } catch (SealException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a SealException", e);
        }
        throw new AssertionError("expected a SealException, but the call succeeded");
    }

    /** The blob with another key id. */
    public static BlobInfo withKeyId(BlobInfo blob, String keyId) {
        return new BlobInfo(blob.wrapperType(), blob.mechanism(), keyId, blob.iv(), blob.wrappedKey(), blob.ciphertext());
    }

    /** The blob with another wrapped data key. */
    public static BlobInfo withWrappedKey(BlobInfo blob, byte[] wrappedKey) {
        return new BlobInfo(blob.wrapperType(), blob.mechanism(), blob.keyId(), blob.iv(), wrappedKey, blob.ciphertext());
    }

    /** The blob with another ciphertext. */
    public static BlobInfo withCiphertext(BlobInfo blob, byte[] ciphertext) {
        return new BlobInfo(blob.wrapperType(), blob.mechanism(), blob.keyId(), blob.iv(), blob.wrappedKey(), ciphertext);
    }
}
