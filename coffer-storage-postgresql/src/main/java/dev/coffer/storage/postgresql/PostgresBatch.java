package dev.coffer.storage.postgresql;

import dev.coffer.storage.StorageBackend.Write;
import dev.coffer.storage.StorageKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link dev.coffer.storage.StorageBackend#writeAll} on PostgreSQL: the whole batch is one statement ({@link
 * Sql#writeAll}), so one round trip and one commit, all or nothing; with an HA tenure it is fenced like a single
 * write (the lease row is checked {@code FOR SHARE} in the same statement), so a node that lost its lease changes
 * nothing. Several writes of one key keep the last, as applying them in order would.
 */
final class PostgresBatch {

    private PostgresBatch() {
    }

    static void write(PostgresBackend backend, List<Write> writes) {
        Map<String, Write> last = new LinkedHashMap<>();
        for (Write write : writes) {
            last.put(StorageKeys.requireKey(write.key()), write);
        }
        if (last.isEmpty()) {
            return;
        }
        Columns columns = Columns.of(last.values());
        Sql sql = backend.sql();
        PostgresBackend.Fence fence = backend.currentFence();
        try (Connection connection = backend.pooledConnection();
             PreparedStatement statement = connection.prepareStatement(fence == null ? sql.writeAll : sql.fencedWriteAll)) {
            int i = fence == null ? 1 : PostgresBackend.setFence(statement, fence);
            statement.setArray(i++, connection.createArrayOf("text", columns.putParentPaths()));
            statement.setArray(i++, connection.createArrayOf("text", columns.putPaths()));
            statement.setArray(i++, connection.createArrayOf("text", columns.putKeys()));
            statement.setArray(i++, connection.createArrayOf("bytea", columns.putValues()));
            statement.setArray(i++, connection.createArrayOf("text", columns.deletePaths()));
            statement.setArray(i, connection.createArrayOf("text", columns.deleteKeys()));
            if (fence == null) {
                statement.executeQuery().close();
            } else {
                PostgresBackend.requireFenceHeld(statement, fence);
            }
        } catch (SQLException e) {
            throw backend.failure("cannot write a batch of " + last.size() + " entries to "
                    + backend.settings().table() + "; none of them was written", e, "");
        }
    }

    /** A batch as the column arrays {@link Sql#writeAll} takes: puts and deletes apart, in Vault's key split. */
    private record Columns(String[] putParentPaths, String[] putPaths, String[] putKeys, byte[][] putValues,
                           String[] deletePaths, String[] deleteKeys) {

        static Columns of(Collection<Write> writes) {
            int puts = (int) writes.stream().filter(w -> !w.isDelete()).count();
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
                    c.putValues[p++] = write.value().clone();
                }
            }
            return c;
        }
    }
}
