package dev.coffer.storage.postgresql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.storage.StorageBackend.Write;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A batch on PostgreSQL is all or nothing: refused by the database part way, or fenced out, it changes nothing. */
@Timeout(60)
class PostgresBatchTest {

    @RegisterExtension
    final TestNodes nodes = new TestNodes("batch");
    private PostgresBackend nodeA;
    private PostgresBackend nodeB;

    @Test
    void aBatchTheDatabaseRejectsPartWayChangesNothing() throws SQLException {
        nodeA = nodes.start();
        nodeA.put("kv/metadata/app", bytes("v1"));
        nodeA.put("kv/versions/app/1", bytes("one"));
        // a real failure inside the statement, after the first rows were written: a trigger refusing one key
        nodes.installPoisonTrigger();

        assertThatThrownBy(() -> nodeA.writeAll(List.of(Write.put("kv/versions/app/2", bytes("two")),
                Write.put("kv/metadata/app", bytes("v2")), Write.delete("kv/versions/app/1"),
                Write.put("kv/poison", bytes("x")))))
                .isInstanceOf(CofferException.StorageFailure.class)
                .hasMessageContaining("none of them was written").hasMessageContaining("poisoned row");

        assertThat(nodeA.get("kv/versions/app/2")).isEmpty();
        assertThat(nodeA.get("kv/metadata/app")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v1")));
        assertThat(nodeA.get("kv/versions/app/1")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("one")));
        assertThat(nodeA.atomicBatches()).as("declared, so KV v2 reuses trimmed versions' rows").isTrue();
    }

    @Test
    void aBatchIsOneStatementStoredInVaultsRowLayout() throws SQLException {
        nodeA = nodes.start();
        nodeA.writeAll(List.of(Write.put("logical/m/versions/app/1", bytes("one")), Write.put("top", bytes("t"))));

        try (Connection admin = TestPostgres.admin(); Statement s = admin.createStatement();
             ResultSet rows = s.executeQuery("SELECT parent_path, path, key FROM " + nodes.table() + " ORDER BY path, key")) {
            assertThat(rows.next()).isTrue();
            assertThat(List.of(rows.getString(1), rows.getString(2), rows.getString(3))).containsExactly("", "/", "top");
            assertThat(rows.next()).isTrue();
            assertThat(List.of(rows.getString(1), rows.getString(2), rows.getString(3)))
                    .containsExactly("/logical/m/versions/", "/logical/m/versions/app/", "1");
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void aPausedHoldersBatchIsRefusedEntirelyByPostgres() throws Exception {
        nodeA = nodes.start("ha_enabled", "true");
        nodeB = nodes.start("ha_enabled", "true");
        try (PostgresHaLock lockA = (PostgresHaLock) nodeA.lock("core/lock", "node-a", "a");
             PostgresHaLock lockB = (PostgresHaLock) nodeB.lock("core/lock", "node-b", "b")) {
            assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
            long tokenA = lockA.fencingToken().orElseThrow();
            nodeA.writeAll(List.of(Write.put("kv/metadata/app", bytes("v1")), Write.put("kv/versions/app/1", bytes("one"))));
            lockA.pauseRenewal();
            assertThat(lockB.tryAcquire(Duration.ofSeconds(10))).isTrue();
            // node A has not noticed (its renewer is paused), so the refusal comes from PostgreSQL itself
            assertThat(lockA.holds(tokenA)).isTrue();

            assertThatThrownBy(() -> nodeA.writeAll(List.of(Write.put("kv/versions/app/2", bytes("stale")),
                    Write.put("kv/metadata/app", bytes("v2")), Write.delete("kv/versions/app/1"))))
                    .isInstanceOf(CofferException.StorageFailure.class).hasMessageContaining("PostgreSQL no longer sees");
            // a batch of puts only has a statement of its own (no deletes): fenced the same way
            assertThatThrownBy(() -> nodeA.writeAll(List.of(Write.put("kv/versions/app/3", bytes("stale")),
                    Write.put("kv/metadata/app", bytes("v3")))))
                    .isInstanceOf(CofferException.StorageFailure.class).hasMessageContaining("PostgreSQL no longer sees");

            assertThat(nodeB.get("kv/versions/app/2")).isEmpty();
            assertThat(nodeB.get("kv/versions/app/3")).isEmpty();
            assertThat(nodeB.get("kv/metadata/app")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v1")));
            assertThat(nodeB.get("kv/versions/app/1")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("one")));
            nodeB.writeAll(List.of(Write.put("kv/metadata/app", bytes("v2 by b")), Write.delete("kv/versions/app/1")));
            assertThat(nodeA.get("kv/metadata/app")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v2 by b")));
            assertThat(nodeA.get("kv/versions/app/1")).isEmpty();
        }
    }

    /**
     * KV v2's writes delete old versions in batches. A plan PostgreSQL cached while the table was small (a hash join
     * over a sequential scan) must not stay in use once the table has grown: every delete would then read the whole
     * table, dead rows included. Checked with the table's sequential-scan counter, on the pool's only session (so
     * its statistics can be flushed when asked).
     */
    @Test
    void batchedDeletesUseTheIndexAfterTheTableGrows() throws SQLException {
        nodeA = nodes.start("max_parallel", "1", "max_idle_connections", "1");
        for (int v = 1; v <= 30; v++) {
            nodeA.put("kv/versions/app/" + v, bytes("v" + v));
        }
        try (Connection admin = TestPostgres.admin(); Statement s = admin.createStatement()) {
            s.execute("ANALYZE " + nodes.table()); // as autovacuum would while the table is small
        }
        int next = writeVersions(31, 20); // past the driver's and the server's plan-caching thresholds
        long before = seqScans();
        try (Connection admin = TestPostgres.admin(); Statement s = admin.createStatement()) {
            s.execute("INSERT INTO " + nodes.table() + " (parent_path, path, key, value) SELECT '/other/', '/other/' || i % 500 || '/',"
                    + " i::text, '\\x00' FROM generate_series(1, 20000) i");
        }
        writeVersions(next, 20);

        assertThat(seqScans() - before).as("sequential scans of the grown table by batched writes").isZero();
        try (Connection admin = TestPostgres.admin(); Statement s = admin.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM " + nodes.table() + " WHERE path = '/kv/versions/app/'")) {
            r.next();
            assertThat(r.getInt(1)).as("30 live versions, as before the table grew").isEqualTo(30);
        }
    }

    /**
     * A batch statement is parsed and planned once per connection, not on every run (ADR 0018): after 20 batches the
     * session holds it as a prepared statement whose runs all used the one generic plan.
     */
    @Test
    void batchesArePlannedOncePerConnection() throws SQLException {
        nodeA = nodes.start("max_parallel", "1", "max_idle_connections", "1");
        for (int v = 1; v <= 30; v++) {
            nodeA.put("kv/versions/app/" + v, bytes("v" + v));
        }
        writeVersions(31, 20);

        try (Connection session = nodeA.pooledConnection(); Statement s = session.createStatement();
             ResultSet r = s.executeQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                     + " WHERE statement LIKE '%DELETE FROM%unnest%'")) {
            assertThat(r.next()).as("the batch with deletes is a prepared statement of the pool's session").isTrue();
            assertThat(r.getLong(2)).as("custom plans (planned for one run)").isZero();
            assertThat(r.getLong(1)).as("runs of the cached generic plan").isGreaterThanOrEqualTo(15);
            assertThat(r.next()).isFalse();
        }
    }

    /** KV v2's write pattern: a new version and the metadata in, the two oldest versions out, one re-written. */
    private int writeVersions(int next, int rounds) {
        for (int round = 0; round < rounds; round++, next++) {
            nodeA.writeAll(List.of(Write.put("kv/versions/app/" + next, bytes("v" + next)),
                    Write.put("kv/metadata/app", bytes("m" + next)), Write.delete("kv/versions/app/" + (next - 30)),
                    Write.delete("kv/versions/app/" + (next - 29))));
            nodeA.put("kv/versions/app/" + (next - 29), bytes("again"));
        }
        return next;
    }

    private long seqScans() throws SQLException {
        // the node's session sends its statistics when it next goes idle; then they are read from a fresh snapshot
        try (Connection session = nodeA.pooledConnection(); Statement s = session.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
        }
        try (Connection admin = TestPostgres.admin(); Statement s = admin.createStatement();
             ResultSet r = s.executeQuery("SELECT seq_scan FROM pg_stat_user_tables"
                     + " WHERE relid = '" + nodes.table() + "'::regclass")) {
            assertThat(r.next()).isTrue();
            return r.getLong(1);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
