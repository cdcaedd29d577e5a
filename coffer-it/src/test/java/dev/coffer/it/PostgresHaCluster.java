package dev.coffer.it;

import dev.coffer.it.Cli.InitKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension for HA tests: one embedded PostgreSQL (400 connections) for the test class and, in each test, a
 * cluster of server processes on it that {@link #startUnsealed} starts, initializes and unseals. The cluster is
 * closed after each test, PostgreSQL after the class. Register it on a static field with {@code @RegisterExtension}.
 */
final class PostgresHaCluster implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private EmbeddedPostgres postgres;
    private HaCluster cluster;

    /** A running, initialized and unsealed cluster and its root token. */
    record Unsealed(HaCluster cluster, String rootToken) {
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "400").start();
    }

    /** Starts {@code size} nodes sharing the database, initializes through the first and unseals each with 3 keys. */
    Unsealed startUnsealed(Path dir, int size) {
        String url = "postgres://postgres@localhost:" + postgres.getPort() + "/postgres?sslmode=disable";
        cluster = HaCluster.start(dir, url, size);
        InitKeys keys = new Cli(dir, cluster.nodes.get(0).address()).init();
        cluster.unsealAll(List.of(keys.key(1), keys.key(2), keys.key(3)));
        return new Unsealed(cluster, keys.rootToken());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
