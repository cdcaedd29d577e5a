package dev.coffer.storage.postgresql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.StorageFactories;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresSchemaTest {

    private final String table = TestPostgres.uniqueTable("schema");

    @AfterEach
    void dropTables() throws SQLException {
        TestPostgres.dropTables(table);
    }

    @Test
    void keysAreSplitIntoParentPathPathAndKeyLikeVault() throws Exception {
        try (StorageBackend backend = StorageFactories.create("postgresql", TestPostgres.config(table))) {
            backend.put("a/b/c", "1".getBytes(UTF_8));
            backend.put("a", "2".getBytes(UTF_8));
            backend.put("a/b", "3".getBytes(UTF_8));
        }

        assertThat(rows("SELECT parent_path, path, key FROM " + table + " ORDER BY path, key"))
                .containsExactly("|/|a", "/|/a/|b", "/a/|/a/b/|c");
    }

    @Test
    void tablesHaveVaultsColumnsWithCollationCAndTheParentPathIndex() throws Exception {
        TestPostgres.backend(TestPostgres.config(table, "ha_enabled", "true")).close();

        assertThat(rows("SELECT column_name, data_type, coalesce(collation_name, '-') FROM information_schema.columns"
                + " WHERE table_name = '" + table + "' ORDER BY ordinal_position"))
                .containsExactly("parent_path|text|C", "path|text|C", "key|text|C", "value|bytea|-");
        assertThat(rows("SELECT column_name, coalesce(collation_name, '-') FROM information_schema.columns"
                + " WHERE table_name = '" + table + "_ha' ORDER BY ordinal_position"))
                .containsExactly("ha_key|C", "ha_identity|C", "ha_value|C", "valid_until|-", "generation|-", "holder_pid|-");
        assertThat(rows("SELECT indexdef FROM pg_indexes WHERE tablename = '" + table + "' ORDER BY indexname"))
                .anySatisfy(def -> assertThat(def).contains("(parent_path)"))
                .anySatisfy(def -> assertThat(def).contains("UNIQUE").contains("(path, key)"));
    }

    /**
     * Updates of the same rows (KV v2 metadata and version slots, tokens) must not grow the table: the created
     * table leaves room on each page, so they are heap-only updates that PostgreSQL prunes as it reads the page.
     * 64 rows of 1 KiB written 31 times each: 30 heap pages with the created table's fill factor, 181 when the
     * same test ran with pages packed full (fill factor 100), where updates that find no room move their row.
     */
    @Test
    void theKvTableKeepsRoomForUpdatesSoRewritingRowsDoesNotGrowIt() throws Exception {
        try (PostgresBackend backend = TestPostgres.backend(TestPostgres.config(table))) {
            assertThat(rows("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = '" + table + "'"))
                    .containsExactly("fillfactor=" + Sql.KV_FILLFACTOR);
            byte[] value = new byte[1024];
            for (int round = 0; round < 31; round++) {
                List<StorageBackend.Write> batch = new ArrayList<>();
                for (int k = 0; k < 64; k++) {
                    value[0] = (byte) round;
                    batch.add(StorageBackend.Write.put("kv/versions/key-" + k + "/1", value.clone()));
                }
                backend.writeAll(batch);
            }
            assertThat(backend.get("kv/versions/key-7/1"))
                    .hasValueSatisfying(v -> assertThat(v[0]).isEqualTo((byte) 30));
        }
        int pages = Integer.parseInt(rows("SELECT pg_relation_size('" + table + "') / 8192").get(0));
        assertThat(pages).as("heap pages after 1,920 updates of 64 rows").isLessThan(60);
    }

    @Test
    void listIsOneIndexedQuery() throws Exception {
        try (PostgresBackend backend = TestPostgres.backend(TestPostgres.config(table))) {
            backend.put("x/y", new byte[0]);
        }
        List<String> plan = rows("EXPLAIN (COSTS OFF) " + new Sql(table, table + "_ha").list
                .replaceFirst("\\?", "'/x/'").replaceFirst("\\?", "'/x/'").replaceFirst("\\?", "'/x/'")
                .replaceFirst("\\?", "'/x0'"), "SET enable_seqscan = off");

        assertThat(String.join("\n", plan)).contains(table + "_pkey").doesNotContain("Seq Scan");
    }

    /** Nodes of a cluster start together: concurrent CREATE ... IF NOT EXISTS of the same tables must all succeed. */
    @Test
    void sixNodesStartingAtOnceOnAnEmptyDatabaseAllCreateOrFindTheTables() throws Exception {
        for (int round = 0; round < 5; round++) {
            String roundTable = table + "_r" + round;
            int nodes = 6;
            CyclicBarrier start = new CyclicBarrier(nodes);
            List<Future<PostgresBackend>> opened = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(nodes);
            try {
                for (int i = 0; i < nodes; i++) {
                    opened.add(pool.submit(() -> {
                        start.await();
                        return TestPostgres.backend(TestPostgres.config(roundTable, "ha_enabled", "true"));
                    }));
                }
                for (int i = 0; i < nodes; i++) {
                    try (PostgresBackend backend = opened.get(i).get(60, TimeUnit.SECONDS)) {
                        backend.put("node/" + i, new byte[] {(byte) i});
                    }
                }
                assertThat(rows("SELECT count(*) FROM " + roundTable)).containsExactly(String.valueOf(nodes));
                assertThat(rows("SELECT count(*) FROM information_schema.columns WHERE table_name = '"
                        + roundTable + "_ha'")).containsExactly("6");
            } finally {
                pool.shutdownNow();
                TestPostgres.dropTables(roundTable);
            }
        }
    }

    @Test
    void skipCreateTableLeavesTheDatabaseAloneAndFailsClearlyWithoutTheTable() throws Exception {
        try (PostgresBackend backend = TestPostgres.backend(TestPostgres.config(table, "skip_create_table", "true"))) {
            assertThat(rows("SELECT to_regclass('" + table + "') IS NULL")).containsExactly("t");
            assertThatThrownBy(() -> backend.get("a")).isInstanceOf(CofferException.StorageFailure.class)
                    .hasMessageContaining(table).hasMessageContaining("does not exist");
        }
    }

    @Test
    void skipCreateTableUsesTablesThatExist() throws Exception {
        TestPostgres.backend(TestPostgres.config(table)).close();
        try (PostgresBackend backend = TestPostgres.backend(TestPostgres.config(table, "skip_create_table", "true"))) {
            backend.put("k", "v".getBytes(UTF_8));
            assertThat(backend.get("k")).isPresent();
        }
    }

    @Test
    void thePasswordNeverAppearsInErrors() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> config = Map.of("connection_url",
                "postgres://vault:Sup3r-Secret-PW@127.0.0.1:" + closedPort + "/vault", "max_connect_retries", "0");

        assertThatThrownBy(() -> StorageFactories.create("postgresql", config))
                .isInstanceOf(CofferException.StorageFailure.class)
                .hasMessageContaining("cannot connect").hasMessageContaining("127.0.0.1:" + closedPort)
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("Sup3r-Secret-PW");
                    }
                });
    }

    /** The server's own reason reaches the operator, not only the pool's "request timed out". */
    @Test
    void aConnectionTheServerRefusesIsReportedWithTheServersReason() {
        JdbcTarget target = ConnectionUrls.parse(TestPostgres.connectionUrl());
        String url = target.url().replaceFirst("/[^/?]*(\\?|$)", "/no_such_database$1");
        Map<String, String> config = new java.util.HashMap<>(TestPostgres.config(TestPostgres.uniqueTable("refused")));
        StringBuilder withCredentials = new StringBuilder(url);
        for (String name : List.of("user", "password")) {
            String value = target.properties().getProperty(name);
            if (value != null) {
                withCredentials.append(withCredentials.indexOf("?") < 0 ? '?' : '&').append(name).append('=')
                        .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        config.put("connection_url", withCredentials.toString());
        config.put("max_connect_retries", "0");

        assertThatThrownBy(() -> StorageFactories.create("postgresql", config))
                .isInstanceOf(CofferException.StorageFailure.class)
                .hasMessageContaining("cannot connect")
                .hasMessageContaining("database \"no_such_database\" does not exist")
                .hasMessageContaining("[SQLSTATE 3D000]")
                .hasMessageContaining("the database named in connection_url does not exist");
    }

    private static List<String> rows(String query, String... setup) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = TestPostgres.admin(); Statement statement = connection.createStatement()) {
            for (String s : setup) {
                statement.execute(s);
            }
            try (ResultSet result = statement.executeQuery(query)) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        values.add(result.getString(i));
                    }
                    rows.add(String.join("|", values));
                }
            }
        }
        return rows;
    }
}
