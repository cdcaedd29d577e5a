package dev.coffer.snapshot;

import dev.coffer.CofferException;
import dev.coffer.storage.StorageKeys;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code entries} member: {@code [u32 key length][key UTF-8][u32 value length][value]} per entry. */
final class EntryRecords {

    private EntryRecords() {
    }

    /** One stored entry as it sits in storage (ciphertext for barrier entries). */
    record Entry(String key, byte[] value) {
    }

    /** Appends records to a file; counts them. */
    static final class Writer implements AutoCloseable {
        private final DataOutputStream out;
        private long count;

        Writer(OutputStream target) {
            this.out = new DataOutputStream(new BufferedOutputStream(target, 64 * 1024));
        }

        void write(String key, byte[] value) throws IOException {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            out.writeInt(k.length);
            out.write(k);
            out.writeInt(value.length);
            out.write(value);
            count++;
        }

        long count() {
            return count;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /**
     * Reads records back one at a time, checking lengths, keys and strictly ascending order (which also rules
     * out duplicates), so a damaged or crafted file is refused rather than half applied.
     */
    static final class Reader implements AutoCloseable {
        private final DataInputStream in;
        private String previous;

        Reader(Path file) throws IOException {
            this(Files.newInputStream(file));
        }

        Reader(InputStream stream) {
            this.in = new DataInputStream(new BufferedInputStream(stream, 64 * 1024));
        }

        /** The next entry, or null at a clean end of the file. */
        Entry next() throws IOException {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            int keyLength = (first << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
            String key = readKey(keyLength);
            int valueLength = in.readInt();
            if (valueLength < 0 || valueLength > SnapshotFormat.MAX_VALUE_BYTES) {
                throw damaged("a value length is out of range (" + valueLength + " bytes)");
            }
            return new Entry(key, readFully(valueLength));
        }

        private byte[] readFully(int length) throws IOException {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new EOFException("the entries member ends inside a record");
            }
            return bytes;
        }

        private String readKey(int length) throws IOException {
            if (length <= 0 || length > SnapshotFormat.MAX_KEY_BYTES) {
                throw damaged("a key length is out of range (" + length + " bytes)");
            }
            String key = new String(readFully(length), StandardCharsets.UTF_8);
            StorageKeys.requireKey(key);
            if (previous != null && key.compareTo(previous) <= 0) {
                throw damaged("keys are not in strictly ascending order");
            }
            previous = key;
            return key;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    static CofferException.BadRequest damaged(String why) {
        return new CofferException.BadRequest("the snapshot's " + SnapshotFormat.ENTRIES + " member is damaged: " + why
                + "; use another snapshot");
    }
}
