package dev.coffer.bench;

import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.snapshot.PreparedSnapshot;
import dev.coffer.snapshot.Snapshots;
import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.postgresql.PostgresStorageFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Snapshot save on PostgreSQL vs the ceiling {@code COPY vault_kv_store TO STDOUT}, same table, same run; then
 * restore vs {@code COPY ... FROM STDIN} ({@link PgRestoreBench}; {@code -DsaveOnly=true} skips it).
 *
 * <p>Starts an embedded PostgreSQL, opens a dev-mode {@link Core} on {@code storage "postgresql"} (table
 * vault_kv_store), adds {@code -Dmb=1024} MB of entries ({@code -Dvalue=4096}-byte random values, Vault's row
 * layout, bulk-loaded with binary COPY), then alternates {@code -Drounds=2} times: the ceiling (COPY, text format
 * as named in the issue, into a counting sink; binary format too, for reference) and a Coffer save
 * ({@link Snapshots#save} + {@link PreparedSnapshot#writeTo} into a counting sink). MB/s are of the stored data
 * (key + value bytes of the table), the same numerator for both, best round of each. Peak heap is sampled every
 * 5 ms during the saves; run with -Xmx256m (bench/pg-snapshot-bench.sh does) to prove the save fits.
 */
public final class PgSnapshotBench {

    public static void main(String[] args) throws Exception {
        long mb = Long.getLong("mb", 1024);
        int valueSize = Integer.getInteger("value", 4096);
        int rounds = Integer.getInteger("rounds", 2);
        long count = mb * 1024 * 1024 / valueSize;

        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("max_wal_size", "8GB")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("shared_buffers", "256MB")
                .start()) {
            String url = "postgres://postgres@localhost:" + pg.getPort() + "/postgres?sslmode=disable";
            StorageBackend backend = new PostgresStorageFactory().create(Map.of("connection_url", url));
            Core core = new Core(CoreOptions.of(backend, "postgresql"));
            core.devInit("root");
            try (Connection c = pg.getPostgresDatabase().getConnection()) {
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                long t0 = System.nanoTime();
                fill(copy, count, valueSize);
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM (ANALYZE) vault_kv_store");
                    s.execute("CHECKPOINT");
                }
                long rows;
                long dataBytes;
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT count(*), sum(octet_length(substr(path, 2) || key)"
                             + " + octet_length(value)) FROM vault_kv_store")) {
                    r.next();
                    rows = r.getLong(1);
                    dataBytes = r.getLong(2);
                }
                System.out.printf(Locale.ROOT, "loaded %,d rows, %,.1f MB of key+value data in %.1f s%n", rows,
                        dataBytes / 1e6, (System.nanoTime() - t0) / 1e9);

                double bestCopyText = 0;
                double bestCopyBinary = 0;
                double bestSave = 0;
                long peakHeap = 0;
                for (int round = 1; round <= rounds; round++) {
                    Counting sink = new Counting();
                    long start = System.nanoTime();
                    copy.copyOut("COPY vault_kv_store TO STDOUT", sink);
                    double copyText = rate(dataBytes, start);
                    long copyTextBytes = sink.count;

                    sink = new Counting();
                    start = System.nanoTime();
                    copy.copyOut("COPY vault_kv_store TO STDOUT (FORMAT binary)", sink);
                    double copyBinary = rate(dataBytes, start);

                    System.gc();
                    HeapSampler heap = new HeapSampler();
                    heap.start();
                    sink = new Counting();
                    start = System.nanoTime();
                    long entries;
                    long prepared;
                    try (PreparedSnapshot snapshot = Snapshots.save(core)) {
                        prepared = System.nanoTime();
                        entries = snapshot.metadata().entryCount();
                        snapshot.writeTo(sink);
                    }
                    System.out.printf(Locale.ROOT, "  save: point-in-time read + temp file + SHA-256 %.1f s,"
                            + " archive (tar + gzip) %.1f s%n", (prepared - start) / 1e9, (System.nanoTime() - prepared) / 1e9);
                    if (Boolean.getBoolean("scanOnly")) {
                        long scanStart = System.nanoTime();
                        ((dev.coffer.storage.ConsistentSnapshot) backend).snapshot((k, v) -> { });
                        System.out.printf(Locale.ROOT, "  backend snapshot alone %.1f s%n", (System.nanoTime() - scanStart) / 1e9);
                    }
                    double save = rate(dataBytes, start);
                    heap.finish();
                    System.out.printf(Locale.ROOT, "round %d: COPY TO STDOUT %,.1f MB/s (%,.0f MB of text),"
                                    + " COPY binary %,.1f MB/s, Coffer save %,.1f MB/s (%,d entries, archive %,.0f MB),"
                                    + " peak heap during save %,.1f MB%n", round, copyText, copyTextBytes / 1e6,
                            copyBinary, save, entries, sink.count / 1e6, heap.peak.get() / 1e6);
                    bestCopyText = Math.max(bestCopyText, copyText);
                    bestCopyBinary = Math.max(bestCopyBinary, copyBinary);
                    bestSave = Math.max(bestSave, save);
                    peakHeap = Math.max(peakHeap, heap.peak.get());
                }
                System.out.printf(Locale.ROOT, "snapshot save %,.1f MB/s   COPY vault_kv_store TO STDOUT %,.1f MB/s"
                                + "   ratio %.2f (target >= 0.6)   [vs COPY binary %,.1f MB/s: %.2f]%n",
                        bestSave, bestCopyText, bestSave / bestCopyText, bestCopyBinary, bestSave / bestCopyBinary);
                System.out.printf(Locale.ROOT, "peak heap during save %,.1f MB (max heap %,.0f MB; target < 256 MB)%n",
                        peakHeap / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
                if (!Boolean.getBoolean("saveOnly")) {
                    PgRestoreBench.run(core, c, copy, dataBytes, rounds);
                }
            } finally {
                core.close();
            }
        }
    }

    static double rate(long bytes, long startNanos) {
        return bytes / 1e6 / ((System.nanoTime() - startNanos) / 1e9);
    }

    /** Vault's row layout (see KeySplit), binary COPY: 8 paths of 32 folders, random values. */
    private static void fill(CopyManager copy, long count, int valueSize) throws Exception {
        CopyIn in = copy.copyIn("COPY vault_kv_store (parent_path, path, key, value) FROM STDIN (FORMAT binary)");
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(2 << 20);
            DataOutputStream out = new DataOutputStream(buffer);
            out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
            out.writeInt(0);
            out.writeInt(0);
            SplittableRandom random = new SplittableRandom(42);
            byte[] value = new byte[valueSize];
            for (long i = 0; i < count; i++) {
                String parent = "/logical/m" + (i % 8) + "/";
                String path = parent + "d" + (i % 256) + "/";
                String key = String.format(Locale.ROOT, "k%09d", i);
                random.nextBytes(value);
                out.writeShort(4);
                for (String text : new String[] {parent, path, key}) {
                    byte[] b = text.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
                out.writeInt(value.length);
                out.write(value);
                if (buffer.size() >= (1 << 20)) {
                    in.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                    buffer.reset();
                }
            }
            out.writeShort(-1);
            in.writeToCopy(buffer.toByteArray(), 0, buffer.size());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** Counts and drops what it is given, like /dev/null. */
    static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    static final class HeapSampler extends Thread {
        final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        HeapSampler() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void finish() throws InterruptedException {
            running = false;
            join();
            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        }
    }

    private PgSnapshotBench() {
    }
}
