package dev.coffer.snapshot;

import dev.coffer.barrier.StoragePaths;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;

/**
 * Parses the {@code entries} member once, while it is spooled, before anything is restored: every record must
 * parse, the count must match the metadata, and the entries that make a vault (seal configuration, wrapped root
 * key, keyring) must be there, so a restore never leaves a server it cannot unseal. The verdict is only given by
 * {@link Tally#check} after the checksums: a flipped byte is reported as a checksum mismatch, not as whatever
 * record it happened to break.
 */
final class EntryScan {
    private static final Set<String> REQUIRED = Set.of(StoragePaths.SEAL_CONFIG, StoragePaths.BARRIER_UNSEAL_KEYS,
            StoragePaths.KEYRING);

    private EntryScan() {
    }

    /** What one pass over the records found; {@code failure} is the first damage, if any. */
    record Tally(long count, Set<String> missing, Exception failure) {

        void check(long expectedCount) throws IOException {
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (count != expectedCount) {
                throw EntryRecords.damaged("it holds " + count + " entries but the metadata says " + expectedCount);
            }
            if (!missing.isEmpty()) {
                throw SnapshotReader.refused("it lacks " + String.join(", ", missing.stream().sorted().toList())
                        + ", so it is not a snapshot of an initialized vault");
            }
        }
    }

    /**
     * Copies all of {@code member} to {@code out} and parses the records as they pass. Damage stops the parse,
     * not the copy, so the whole member is still hashed. Only {@code IOException}s of the copy itself escape.
     */
    static Tally spool(InputStream member, OutputStream out) throws IOException {
        Tee tee = new Tee(member, out);
        Set<String> missing = new HashSet<>(REQUIRED);
        long count = 0;
        Exception failure = null;
        // not closed: closing would close the archive stream, which is read on after this member
        EntryRecords.Reader reader = new EntryRecords.Reader(tee);
        try {
            for (EntryRecords.Entry e = reader.next(); e != null; e = reader.next()) {
                missing.remove(e.key());
                count++;
            }
        } catch (IOException | RuntimeException e) {
            if (tee.writeFailure != null) {
                throw tee.writeFailure;
            }
            failure = e;
        }
        tee.transferTo(OutputStream.nullOutputStream());
        return new Tally(count, missing, failure);
    }

    /** Writes every byte read through it to {@code copy}; a write failure is kept apart from damage. */
    private static final class Tee extends FilterInputStream {
        private final OutputStream copy;
        IOException writeFailure;

        Tee(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                write(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                write(buffer, offset, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return read(new byte[(int) Math.min(n, 8192)]);
        }

        private void write(byte[] buffer, int offset, int length) throws IOException {
            try {
                copy.write(buffer, offset, length);
            } catch (IOException e) {
                writeFailure = e;
                throw e;
            }
        }
    }
}
