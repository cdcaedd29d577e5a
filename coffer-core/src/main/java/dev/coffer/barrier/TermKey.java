package dev.coffer.barrier;

import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * An AES key whose bytes the barrier owns and can zero. {@code SecretKeySpec} keeps a private copy that
 * cannot be wiped, so the barrier hands the JCA this wrapper instead; providers copy the bytes through
 * {@link #getEncoded()} for the duration of an init only.
 */
final class TermKey implements SecretKey {

    private final byte[] bytes;

    /** Takes ownership of {@code bytes} (no copy): the caller must not keep or reuse the array. */
    TermKey(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public String getAlgorithm() {
        return "AES";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        return bytes.clone();
    }

    /** The live array, for serialization and wipe checks; never hand it outside the barrier package. */
    byte[] secretBytesUnsafe() {
        return bytes;
    }

    @Override
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    @Override
    public String toString() {
        return "TermKey[redacted]";
    }

    /** Key material must never leave the process through Java serialization. */
    private void writeObject(ObjectOutputStream out) throws NotSerializableException {
        throw new NotSerializableException("barrier keys are not serializable");
    }
}
