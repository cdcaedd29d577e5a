package dev.coffer.storage.postgresql;

import dev.coffer.storage.StorageBackend;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real PostgreSQL the tests share: an embedded server started once per JVM, or the server named by
 * {@code COFFER_TEST_PG_URL} (any connection_url form). Every test makes its own tables, so tests never see
 * each other's rows.
 */
final class TestPostgres {

    static final String ENV_URL = "COFFER_TEST_PG_URL";
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static String connectionUrl;

    private TestPostgres() {
    }

    /** A connection_url for the shared server. */
    static synchronized String connectionUrl() {
        if (connectionUrl == null) {
            String external = System.getenv(ENV_URL);
            if (external != null && !external.isBlank()) {
                connectionUrl = external;
            } else {
                EmbeddedPostgres server = start(EmbeddedPostgres.builder());
                // the embedded server trusts local connections; the password only exercises the parsing
                connectionUrl = "postgres://postgres:unused-password@localhost:" + server.getPort()
                        + "/postgres?sslmode=disable";
            }
        }
        return connectionUrl;
    }

    static EmbeddedPostgres start(EmbeddedPostgres.Builder builder) {
        try {
            return builder.setServerConfig("max_connections", "400").start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    /** A table name no other test uses. */
    static String uniqueTable(String stem) {
        return stem + "_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
    }

    static Map<String, String> config(String table, String... extra) {
        Map<String, String> config = new HashMap<>();
        config.put("connection_url", connectionUrl());
        config.put("table", table);
        config.put("ha_table", table + "_ha");
        for (int i = 0; i < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        return config;
    }

    static PostgresBackend backend(Map<String, String> config) {
        return new PostgresBackend(PostgresSettings.from(config, Map.of()));
    }

    static Connection admin() throws SQLException {
        JdbcTarget target = ConnectionUrls.parse(connectionUrl());
        return DriverManager.getConnection(target.url(), target.properties());
    }

    static void dropTables(String table) throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table);
            statement.execute("DROP TABLE IF EXISTS " + table + "_ha");
        }
    }

    static void closeQuietly(StorageBackend backend) {
        if (backend != null) {
            backend.close();
        }
    }
}
