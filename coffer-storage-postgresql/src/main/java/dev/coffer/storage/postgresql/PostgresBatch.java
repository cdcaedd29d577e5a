package dev.coffer.storage.postgresql;

import dev.coffer.CofferException;
import dev.coffer.storage.StorageBackend.Write;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One statement of writes ({@link GroupCommit} groups them): a lone put or delete as Vault's single-row statement,
 * anything else as {@link Sql#writeAll}, so one round trip and one commit, all or nothing. With an HA tenure it is
 * fenced (the lease row is checked {@code FOR SHARE} in the same statement), so a node that lost its lease changes
 * nothing. Several writes of one key keep the last, as applying them in order would. Rows go in key order, so two
 * statements running at once lock shared rows in the same order.
 */
final class PostgresBatch {

    private PostgresBatch() {
    }

    /** The statement failed and PostgreSQL applied none of it; {@code retryable} for a deadlock or serialization failure. */
    static final class NothingApplied extends RuntimeException {
        private final transient CofferException.StorageFailure failure;
        private final boolean retryable;

        NothingApplied(CofferException.StorageFailure failure, boolean retryable) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
            this.retryable = retryable;
        }

        CofferException.StorageFailure failure() {
            return failure;
        }

        boolean retryable() {
            return retryable;
        }
    }

    /**
     * Runs {@code writes} as one statement under {@code fence} (null: not fenced). Throws {@link NothingApplied} when
     * PostgreSQL refused the statement (a data error, a deadlock), a {@link CofferException.StorageFailure} when the
     * lease is gone or the outcome is unknown (the connection broke).
     */
    static void execute(PostgresBackend backend, PostgresBackend.Fence fence, List<Write> writes, int batches) {
        Map<String, Write> sorted = new TreeMap<>();
        for (Write write : writes) {
            sorted.put(write.key(), write);
        }
        if (sorted.isEmpty()) {
            return;
        }
        Sql sql = backend.sql();
        Write only = sorted.size() == 1 ? sorted.values().iterator().next() : null;
        Columns columns = only == null ? Columns.of(sorted.values()) : null;
        boolean putsOnly = columns != null && columns.deletePaths().length == 0;
        String statementText = putsOnly ? (fence == null ? sql.writePuts : sql.fencedWritePuts)
                : only == null ? (fence == null ? sql.writeAll : sql.fencedWriteAll)
                : only.isDelete() ? (fence == null ? sql.delete : sql.fencedDelete)
                : (fence == null ? sql.put : sql.fencedPut);
        try (Connection connection = backend.pooledConnection();
             PreparedStatement statement = connection.prepareStatement(statementText)) {
            int i = fence == null ? 1 : PostgresBackend.setFence(statement, fence);
            if (only != null) {
                KeySplit split = KeySplit.of(only.key());
                if (!only.isDelete()) {
                    statement.setString(i++, split.parentPath());
                }
                statement.setString(i++, split.path());
                statement.setString(i++, split.key());
                if (!only.isDelete()) {
                    statement.setBytes(i, only.value());
                }
            } else {
                statement.setArray(i++, connection.createArrayOf("text", columns.putParentPaths()));
                statement.setArray(i++, connection.createArrayOf("text", columns.putPaths()));
                statement.setArray(i++, connection.createArrayOf("text", columns.putKeys()));
                statement.setArray(i++, connection.createArrayOf("bytea", columns.putValues()));
                if (!putsOnly) {
                    statement.setArray(i++, connection.createArrayOf("text", columns.deletePaths()));
                    statement.setArray(i, connection.createArrayOf("text", columns.deleteKeys()));
                }
            }
            if (fence != null) {
                PostgresBackend.requireFenceHeld(statement, fence);
            } else if (only != null) {
                statement.executeUpdate();
            } else {
                statement.executeQuery().close();
            }
        } catch (SQLException e) {
            String what = batches > 1
                    ? "cannot write " + sorted.size() + " entries of " + batches + " concurrent requests (one statement) to "
                    : sorted.size() == 1 ? "cannot write an entry to " : "cannot write a batch of " + sorted.size() + " entries to ";
            if (nothingApplied(e)) {
                throw new NothingApplied(backend.failure(what + backend.settings().table()
                        + (sorted.size() == 1 ? "" : "; none of them was written"), e, ""), retryable(e));
            }
            throw backend.failure(what + backend.settings().table(), e, "");
        }
    }

    /**
     * PostgreSQL refused the statement itself (its transaction rolled back, and the connection is fine): a data
     * exception, an integrity or syntax error, a raised exception, a deadlock, out of resources. Not for a broken
     * connection or a shut down server (08, 57, or no SQLSTATE): there the commit may or may not have happened.
     */
    static boolean nothingApplied(SQLException e) {
        String state = e.getSQLState();
        if (state == null || state.length() != 5) {
            return false;
        }
        String sqlClass = state.substring(0, 2);
        return switch (sqlClass) {
            case "22", "23", "40", "42", "53", "54", "P0", "XX" -> !"40003".equals(state); // 40003: outcome unknown
            default -> false;
        };
    }

    static boolean retryable(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    /** A batch as the column arrays {@link Sql#writeAll} takes: puts and deletes apart, in Vault's key split. */
    private record Columns(String[] putParentPaths, String[] putPaths, String[] putKeys, byte[][] putValues,
                           String[] deletePaths, String[] deleteKeys) {

        static Columns of(Collection<Write> writes) {
            int puts = 0;
            for (Write write : writes) {
                puts += write.isDelete() ? 0 : 1;
            }
            int deletes = writes.size() - puts;
            Columns c = new Columns(new String[puts], new String[puts], new String[puts], new byte[puts][],
                    new String[deletes], new String[deletes]);
            int p = 0;
            int d = 0;
            for (Write write : writes) {
                KeySplit split = KeySplit.of(write.key());
                if (write.isDelete()) {
                    c.deletePaths[d] = split.path();
                    c.deleteKeys[d++] = split.key();
                } else {
                    c.putParentPaths[p] = split.parentPath();
                    c.putPaths[p] = split.path();
                    c.putKeys[p] = split.key();
                    c.putValues[p++] = write.value();
                }
            }
            return c;
        }
    }
}
