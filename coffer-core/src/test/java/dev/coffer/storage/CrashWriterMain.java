package dev.coffer.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * Child process of {@link FileBackendCrashTest}: overwrites a few keys in a loop with self-verifying values
 * until it is killed (arguments: root directory, first sequence number), printing "> KEY SEQ" as a put starts
 * (so the parent can kill it mid-write) and "< KEY SEQ" once the put is acknowledged.
 *
 * <p>A value is {@code seq (8 bytes) | payload length (4) | first 16 bytes of SHA-256(payload) | payload},
 * so a reader can tell a complete value from a torn one without knowing what was written.
 */
public final class CrashWriterMain {

    static final String[] KEYS = {"crash/k0", "crash/k1", "crash/deep/k2", "crash/deep/k3"};
    static final int MAX_PAYLOAD = 256 * 1024;
    private static final int HEADER = 8 + 4 + 16;

    private CrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        FileBackend backend = new FileBackend(Path.of(args[0]));
        Random random = new Random();
        long firstSeq = Long.parseLong(args[1]);
        for (long seq = firstSeq; ; seq++) {
            String key = KEYS[(int) (seq % KEYS.length)];
            byte[] value = encode(seq, random);
            System.out.println("> " + key + " " + seq);
            System.out.flush();
            backend.put(key, value);
            System.out.println("< " + key + " " + seq);
            System.out.flush();
        }
    }

    static byte[] encode(long seq, Random random) throws NoSuchAlgorithmException {
        byte[] payload = new byte[random.nextInt(MAX_PAYLOAD + 1)];
        random.nextBytes(payload);
        return ByteBuffer.allocate(HEADER + payload.length)
                .putLong(seq)
                .putInt(payload.length)
                .put(digestPrefix(payload))
                .put(payload)
                .array();
    }

    /** The sequence number of a complete value, or empty when the value is torn or corrupt. */
    static Optional<Long> verify(byte[] value) throws NoSuchAlgorithmException {
        if (value.length < HEADER) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        long seq = buffer.getLong();
        int length = buffer.getInt();
        if (length != value.length - HEADER) {
            return Optional.empty();
        }
        byte[] digest = new byte[16];
        buffer.get(digest);
        byte[] payload = Arrays.copyOfRange(value, HEADER, value.length);
        return Arrays.equals(digest, digestPrefix(payload)) ? Optional.of(seq) : Optional.empty();
    }

    private static byte[] digestPrefix(byte[] payload) throws NoSuchAlgorithmException {
        return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(payload), 16);
    }
}
