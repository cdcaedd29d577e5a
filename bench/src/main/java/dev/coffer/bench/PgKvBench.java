package dev.coffer.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.server.Listener;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.storage.ReadCache;
import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.postgresql.PostgresStorageFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * KV v2 on PostgreSQL vs the same single-row statements over plain JDBC; {@code bench/pg-kv-bench.sh} drives it.
 *
 * <ul>
 *   <li>{@code server}: starts an embedded PostgreSQL (synchronous_commit on, as in production; zonky's fsync off
 *       unless {@code -DpgConfig=fsync=on}; {@code -DpgConfig=name=value,...} adds settings), a dev-mode Coffer core on {@code storage "postgresql"} with {@code ha_enabled = "true"}
 *       (so every write is fenced; the node waits until it is active) and its HTTP listener; its storage read cache
 *       has the default size unless {@code -DcacheSize=N} ({@code 0}: none, as with {@code disable_cache}). Prints
 *       {@code coffer=PORT}, {@code token=...}, {@code pg=URL}, then waits; wrk drives it.</li>
 *   <li>{@code vacuum URL}: {@code VACUUM} of the table before a measured phase.</li>
 *   <li>{@code ceiling write|read URL SECONDS}: the ceiling, in its own JVM like wrk: {@code -Dthreads=32} threads
 *       over a HikariCP pool sized like Coffer's (max_parallel 128, 2 idle), each doing Vault's single-row upsert
 *       {@code INSERT ... ON CONFLICT (path, key) DO UPDATE} of a value as long as a stored KV v2 version entry
 *       (read from the table: ciphertext of the benchmark's secret) over {@code -Dkeys=64} keys, or a primary-key
 *       {@code SELECT}. Same table, rows of their own. Prints {@code ops/s}.</li>
 * </ul>
 */
public final class PgKvBench {

    private static final int MAX_PARALLEL = 128;
    private static final int MAX_IDLE = 2;

    private PgKvBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("ceiling")) {
            ceiling(args[1], args[2], Integer.parseInt(args[3]));
        } else if (args.length > 0 && args[0].equals("commits")) {
            commits(args[1]);
        } else if (args.length > 0 && args[0].equals("vacuum")) {
            vacuum(args[1]);
        } else {
            server();
        }
    }

    private static void server() throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("synchronous_commit", "on") // zonky turns it off by default; production keeps it on
                .setServerConfig("max_connections", "300");
        // -DpgConfig=name=value,name=value: more server settings, e.g. shared_preload_libraries=pg_stat_statements
        for (String setting : System.getProperty("pgConfig", "").split(",")) {
            int eq = setting.indexOf('=');
            if (eq > 0) {
                builder.setServerConfig(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
            }
        }
        EmbeddedPostgres pg = builder.start();
        String url = "postgres://postgres@localhost:" + pg.getPort() + "/postgres?sslmode=disable";
        StorageBackend backend = new PostgresStorageFactory().create(Map.of("connection_url", url,
                "ha_enabled", System.getProperty("ha", "true"), "max_parallel", Integer.toString(MAX_PARALLEL),
                "max_idle_connections", Integer.toString(MAX_IDLE)));
        // -DcacheSize=0 measures without the storage read cache (disable_cache)
        Core core = new Core(CoreOptions.of(backend, "postgresql")
                .withCacheSize(Integer.getInteger("cacheSize", ReadCache.DEFAULT_SIZE)));
        Core.DevInit dev = core.devInit(null);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (core.standby() || !core.haState().self()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the node did not become active within 30 s");
            }
            Thread.sleep(20);
        }
        Listener coffer = Listener.start(new ListenerConfig("tcp", "127.0.0.1:0", null, true, null, null, "tls12", null,
                32L << 20, Duration.ofSeconds(90)), core, "http://127.0.0.1", null);
        System.out.println("coffer=" + coffer.port());
        System.out.println("token=" + dev.rootToken()); // a throwaway dev server's token, for pg-kv-bench.sh
        System.out.println("pg=" + url);
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void ceiling(String url, String op, int seconds) throws Exception {
        int threads = Integer.getInteger("threads", 32);
        int keys = Integer.getInteger("keys", 64);
        try (HikariDataSource pool = pool(url)) {
            byte[] value = new byte[versionEntrySize(pool)];
            ThreadLocalRandom.current().nextBytes(value);
            String upsert = "INSERT INTO vault_kv_store (parent_path, path, key, value) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (path, key) DO UPDATE SET value = EXCLUDED.value, parent_path = EXCLUDED.parent_path";
            String select = "SELECT value FROM vault_kv_store WHERE path = ? AND key = ?";
            // the rows the reads find: same size as the writes'
            for (int k = 1; k <= keys; k++) {
                try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(upsert)) {
                    bindUpsert(s, k, value);
                    s.executeUpdate();
                }
            }
            Op work = op.equals("write")
                    ? k -> {
                        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(upsert)) {
                            bindUpsert(s, k, value);
                            s.executeUpdate();
                        }
                    }
                    : k -> {
                        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(select)) {
                            s.setString(1, "/ceiling/");
                            s.setString(2, "k-" + k);
                            try (ResultSet r = s.executeQuery()) {
                                if (!r.next() || r.getBytes(1).length != value.length) {
                                    throw new IllegalStateException("ceiling row k-" + k + " missing");
                                }
                            }
                        }
                    };
            run(work, threads, keys, 3); // warm-up: JIT, pool growth, server-side prepared statements
            double rate = run(work, threads, keys, seconds);
            System.out.printf(Locale.ROOT, "ceiling %s: %.1f ops/s (%d threads, %d keys, value %d bytes)%n", op, rate,
                    threads, keys, value.length);
        }
    }

    /** Prints the database's committed transactions so far: the script divides the difference by wrk's request count. */
    private static void commits(String url) throws SQLException {
        try (HikariDataSource pool = pool(url); Connection c = pool.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
            // the counters are sent to the statistics system at most every second or so (pgstat flush interval)
            try (PreparedStatement flush = c.prepareStatement("SELECT pg_stat_clear_snapshot()")) {
                flush.execute();
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                System.out.println("commits " + r.getLong(1));
            }
        }
    }

    /**
     * {@code VACUUM} of the table: the warm-up's dead rows (KV v2 deletes a version per write) removed before a measured
     * phase, so the ceiling and the KV v2 writes start from the same table and autovacuum (once a minute) does not
     * clean the warm-up's garbage in the middle of one phase and not the other.
     */
    private static void vacuum(String url) throws SQLException {
        try (HikariDataSource pool = pool(url); Connection c = pool.getConnection();
             PreparedStatement s = c.prepareStatement("VACUUM vault_kv_store")) {
            s.execute();
            System.out.println("vacuumed");
        }
    }

    private static void bindUpsert(PreparedStatement s, int k, byte[] value) throws SQLException {
        s.setString(1, "/"); // Vault's split of "ceiling/k-N": parent_path "/", path "/ceiling/", key "k-N"
        s.setString(2, "/ceiling/");
        s.setString(3, "k-" + k);
        s.setBytes(4, value);
    }

    /** The stored length of one KV v2 version entry the benchmark wrote (barrier header + ciphertext + tag). */
    private static int versionEntrySize(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT octet_length(value) FROM vault_kv_store WHERE path LIKE '/logical/%/versions/bench/' LIMIT 1");
             ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                throw new IllegalStateException("no KV v2 version entry of secret/bench found: seed it first");
            }
            return r.getInt(1);
        }
    }

    /** The same pool settings as PostgresBackend's (Hikari, max_parallel, max idle, 5 s connection timeout). */
    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ceiling");
        config.setJdbcUrl(url.replace("postgres://postgres@", "jdbc:postgresql://").replace("?sslmode=disable", "")
                + "?ApplicationName=ceiling&tcpKeepAlive=true");
        config.setUsername("postgres");
        config.setMaximumPoolSize(MAX_PARALLEL);
        config.setMinimumIdle(MAX_IDLE);
        config.setConnectionTimeout(5_000);
        config.setRegisterMbeans(false);
        return new HikariDataSource(config);
    }

    @FunctionalInterface
    private interface Op {
        void run(int key) throws Exception;
    }

    private static double run(Op op, int threads, int keys, int seconds) throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add((Boolean.getBoolean("virtual") ? Thread.ofVirtual() : Thread.ofPlatform()).start(() -> {
                try {
                    while (!stop.get()) {
                        op.run(1 + ThreadLocalRandom.current().nextInt(keys));
                        done.increment();
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        long elapsed = System.nanoTime() - start;
        for (Thread w : workers) {
            w.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("ceiling failed", errors.get(0));
        }
        return done.sum() / (elapsed / 1e9);
    }
}
