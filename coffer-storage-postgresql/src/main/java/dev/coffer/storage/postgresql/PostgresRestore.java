package dev.coffer.storage.postgresql;

import dev.coffer.CofferException;
import dev.coffer.storage.AtomicRestore;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AtomicRestore} for PostgreSQL: one transaction on a session of its own that deletes every row and
 * streams the new ones in with {@code COPY ... FROM STDIN (FORMAT binary)}, then commits. Memory holds one entry
 * and a copy buffer. Anything that goes wrong before the commit (the source fails, the session is killed, the
 * lease is gone) rolls the transaction back, so other sessions see either the old rows or the new ones.
 *
 * <p>Fencing: with an HA tenure, the lease is checked when the transaction starts (a deposed node is refused
 * before it does any work) and again just before the commit with {@code FOR SHARE} on the lease row and the
 * current clock (not the transaction's start time). A takeover updates that row, so it either committed before the
 * check (the restore is rolled back) or waits for this commit (the new active node then reads the restored rows).
 * The row is not locked during the copy, so the holder keeps renewing its lease however long the restore takes.
 */
final class PostgresRestore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresRestore.class);
    private static final AtomicInteger RESTORES = new AtomicInteger();
    private static final byte[] COPY_SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final int BUFFER_BYTES = 256 * 1024;

    /** Application name prefix of the restore sessions (visible in pg_stat_activity). */
    static final String APPLICATION_NAME = "coffer-restore-";

    private final PostgresBackend backend;
    private final Sql sql;
    private final String table;

    PostgresRestore(PostgresBackend backend) {
        this.backend = backend;
        this.sql = backend.sql();
        this.table = backend.settings().table();
    }

    void replaceAll(AtomicRestore.EntrySource source, PostgresBackend.Fence fence) throws IOException {
        long start = System.nanoTime();
        try (Connection connection = backend.session(APPLICATION_NAME + RESTORES.incrementAndGet())) {
            connection.setAutoCommit(false);
            try {
                requireLease(connection, fence, sql.restoreFenceCheck, "before it started");
                long deleted;
                try (Statement statement = connection.createStatement()) {
                    deleted = statement.executeUpdate(sql.deleteAll);
                }
                long copied = copyIn(connection, source);
                requireLease(connection, fence, sql.restoreFenceHold, "before its commit");
                connection.commit();
                LOG.info("storage postgresql: restored {} entries into {} in one transaction ({} rows replaced, {} ms)",
                        copied, table, deleted, (System.nanoTime() - start) / 1_000_000);
            } catch (IOException | SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw backend.failure("cannot restore a snapshot into " + table + "; the transaction was rolled back", e,
                    "nothing was changed");
        }
    }

    /** Streams every entry as binary COPY rows; returns the number of rows. Source failures pass through as is. */
    private long copyIn(Connection connection, AtomicRestore.EntrySource source) throws SQLException, IOException {
        PGCopyOutputStream copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class), sql.copyIn, BUFFER_BYTES);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(copy, BUFFER_BYTES));
        long rows = 0;
        try {
            send(() -> {
                out.write(COPY_SIGNATURE);
                out.writeInt(0); // flags
                out.writeInt(0); // header extension length
            });
            for (AtomicRestore.Entry entry = source.next(); entry != null; entry = source.next()) {
                KeySplit split = KeySplit.of(entry.key());
                byte[] value = entry.value();
                send(() -> {
                    out.writeShort(4);
                    writeText(out, split.parentPath());
                    writeText(out, split.path());
                    writeText(out, split.key());
                    out.writeInt(value.length);
                    out.write(value);
                });
                rows++;
            }
            send(() -> {
                out.writeShort(-1);
                out.flush();
            });
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                cancelQuietly(copy);
            }
        }
    }

    private interface CopyWrite {
        void run() throws IOException;
    }

    /** A write to the COPY stream: its IOException is the session's failure, not the source's. */
    private static void send(CopyWrite write) throws SQLException {
        try {
            write.run();
        } catch (IOException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getMessage(), "08006", e);
        }
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Refuses unless PostgreSQL sees this node's tenure as valid now; nothing to check without a tenure. */
    private void requireLease(Connection connection, PostgresBackend.Fence fence, String query, String when)
            throws SQLException {
        if (fence == null) {
            return;
        }
        if (!fence.lock().holds(fence.generation())) {
            throw lost(fence, when, "this node no longer holds");
        }
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, fence.haKey());
            statement.setString(2, fence.identity());
            statement.setLong(3, fence.generation());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw lost(fence, when, "PostgreSQL no longer sees as valid");
                }
            }
        }
    }

    private static CofferException.StorageFailure lost(PostgresBackend.Fence fence, String when, String why) {
        return new CofferException.StorageFailure("lost leadership: snapshot restore refused " + when + ": " + why
                + " this node's lease on HA lock " + fence.haKey() + " (generation " + fence.generation() + "); another"
                + " node may be active. Nothing was changed; send the restore to the active node", null);
    }

    private static void cancelQuietly(PGCopyOutputStream copy) {
        try {
            copy.cancelCopy();
        } catch (SQLException e) {
            LOG.debug("storage postgresql: cancelling the restore's COPY failed: {}", e.getMessage());
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // a killed session has no transaction left to roll back: the server aborted it
            LOG.debug("storage postgresql: rolling back the restore failed: {}", e.getMessage());
        }
    }
}
