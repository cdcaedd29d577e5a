package dev.coffer.seal;

import java.security.SecureRandom;

/** A "random" source that hands out a fixed byte stream in order, for known-answer tests. */
final class ByteStreamRandom extends SecureRandom {

    private final int[] stream;
    private int position;

    ByteStreamRandom(int... stream) {
        this.stream = stream.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (position == stream.length) {
                throw new IllegalStateException("test byte stream exhausted after " + position + " bytes");
            }
            bytes[i] = (byte) stream[position++];
        }
    }

    int consumed() {
        return position;
    }
}
