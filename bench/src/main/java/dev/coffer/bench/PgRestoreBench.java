package dev.coffer.bench;

import dev.coffer.core.Core;
import dev.coffer.snapshot.PreparedSnapshot;
import dev.coffer.snapshot.Snapshots;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import org.postgresql.copy.CopyManager;

/**
 * Snapshot restore on PostgreSQL vs the ceiling {@code COPY ... FROM STDIN} of the same rows, same run (called by
 * {@link PgSnapshotBench} once the table is loaded).
 *
 * <p>Setup: one snapshot of the loaded vault written to a temp file, and the table's rows exported once with
 * {@code COPY TO} (text, and binary) into temp files. Each round then measures the ceiling, a bulk load of those
 * rows from the file into an empty table of the same definition ({@code LIKE ... INCLUDING ALL}, truncated
 * before each load), and a Coffer restore ({@link Snapshots#restore} of the archive file into the live table,
 * which holds the same rows: the restore deletes them and copies the snapshot's in, in one transaction, then the
 * core reloads its keyring and mounts). MB/s are of the table's key + value bytes, best round of each; the heap
 * is sampled during the restore.
 */
final class PgRestoreBench {

    private PgRestoreBench() {
    }

    static void run(Core core, Connection c, CopyManager copy, long dataBytes, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("coffer-restore-bench");
        Path archive = dir.resolve("vault.snap");
        Path text = dir.resolve("rows.txt");
        Path binary = dir.resolve("rows.bin");
        try {
            try (PreparedSnapshot snapshot = Snapshots.save(core)) {
                snapshot.writeTo(archive);
            }
            try (OutputStream out = Files.newOutputStream(text)) {
                copy.copyOut("COPY vault_kv_store TO STDOUT", out);
            }
            try (OutputStream out = Files.newOutputStream(binary)) {
                copy.copyOut("COPY vault_kv_store TO STDOUT (FORMAT binary)", out);
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE restore_ceiling (LIKE vault_kv_store INCLUDING ALL)");
            }
            System.out.printf(Locale.ROOT, "restore inputs: archive %,.0f MB, COPY text %,.0f MB, COPY binary %,.0f MB%n",
                    Files.size(archive) / 1e6, Files.size(text) / 1e6, Files.size(binary) / 1e6);

            double bestText = 0;
            double bestBinary = 0;
            double bestRestore = 0;
            long peakHeap = 0;
            for (int round = 1; round <= rounds; round++) {
                double copyText = copyIn(c, copy, text, "", dataBytes);
                double copyBinary = copyIn(c, copy, binary, " (FORMAT binary)", dataBytes);
                double replaceBinary = replace(c, copy, binary, dataBytes);
                // the previous round's restore left a table's worth of dead rows: start from a vacuumed table, as the
                // ceilings start from a truncated one
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM vault_kv_store");
                }
                checkpoint(c);

                System.gc();
                PgSnapshotBench.HeapSampler heap = new PgSnapshotBench.HeapSampler();
                heap.start();
                long start = System.nanoTime();
                try (InputStream in = Files.newInputStream(archive)) {
                    if (Snapshots.restore(core, in, false).sealed()) {
                        throw new IllegalStateException("the restore sealed the node: the snapshot is not this vault's");
                    }
                }
                double restore = PgSnapshotBench.rate(dataBytes, start);
                heap.finish();
                checkpoint(c);
                System.out.printf(Locale.ROOT, "round %d: COPY FROM STDIN %,.1f MB/s, COPY FROM binary %,.1f MB/s,"
                                + " DELETE + COPY FROM binary in one transaction %,.1f MB/s, Coffer restore %,.1f MB/s"
                                + " (%,.1f s), peak heap during restore %,.1f MB%n", round, copyText, copyBinary,
                        replaceBinary, restore, dataBytes / 1e6 / restore, heap.peak.get() / 1e6);
                bestText = Math.max(bestText, copyText);
                bestBinary = Math.max(bestBinary, copyBinary);
                bestRestore = Math.max(bestRestore, restore);
                peakHeap = Math.max(peakHeap, heap.peak.get());
            }
            System.out.printf(Locale.ROOT, "snapshot restore %,.1f MB/s   COPY vault_kv_store FROM STDIN %,.1f MB/s"
                            + "   ratio %.2f (target >= 0.5)   [vs COPY FROM binary %,.1f MB/s: %.2f]%n",
                    bestRestore, bestText, bestRestore / bestText, bestBinary, bestRestore / bestBinary);
            System.out.printf(Locale.ROOT, "peak heap during restore %,.1f MB (max heap %,.0f MB; target < 256 MB)%n",
                    peakHeap / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM vault_kv_store")) {
                r.next();
                System.out.printf(Locale.ROOT, "rows after the restores: %,d%n", r.getLong(1));
            }
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS restore_ceiling");
            }
            Files.deleteIfExists(archive);
            Files.deleteIfExists(text);
            Files.deleteIfExists(binary);
            Files.deleteIfExists(dir);
        }
    }

    /** The ceiling: the exported rows loaded into the emptied copy table; MB/s of the table's data. */
    private static double copyIn(Connection c, CopyManager copy, Path rows, String format, long dataBytes)
            throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("TRUNCATE restore_ceiling");
        }
        checkpoint(c);
        long start = System.nanoTime();
        try (InputStream in = Files.newInputStream(rows)) {
            copy.copyIn("COPY restore_ceiling FROM STDIN" + format, in, 256 * 1024);
        }
        return PgSnapshotBench.rate(dataBytes, start);
    }

    /**
     * Reference: what the restore does in SQL, without Coffer: one transaction deleting the rows the previous load
     * left and loading them again with binary COPY.
     */
    private static double replace(Connection c, CopyManager copy, Path rows, long dataBytes) throws Exception {
        checkpoint(c);
        long start = System.nanoTime();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement(); InputStream in = Files.newInputStream(rows)) {
            s.executeUpdate("DELETE FROM restore_ceiling");
            copy.copyIn("COPY restore_ceiling FROM STDIN (FORMAT binary)", in, 256 * 1024);
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
        return PgSnapshotBench.rate(dataBytes, start);
    }

    /** Each measurement starts with no dirty pages left by the previous one. */
    private static void checkpoint(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }
}
