package dev.coffer.storage.postgresql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.storage.ReadCache;
import dev.coffer.storage.StorageBackend.Write;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The storage read cache in front of the real PostgreSQL backend: fenced refusals and dropped connections. */
@Timeout(120)
class PostgresReadCacheTest {

    private final String table = TestPostgres.uniqueTable("cache");
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        TestPostgres.dropTables(table);
    }

    private PostgresBackend backend(String... extra) {
        PostgresBackend backend = TestPostgres.backend(TestPostgres.config(table, extra));
        opened.add(backend);
        return backend;
    }

    private static String text(Optional<byte[]> value) {
        return value.map(v -> new String(v, UTF_8)).orElse(null);
    }

    @Test
    void aDeposedHolderNeitherServesItsCacheNorCachesItsRefusedWrite() throws Exception {
        PostgresBackend nodeA = backend("ha_enabled", "true");
        PostgresBackend nodeB = backend("ha_enabled", "true");
        PostgresHaLock lockA = (PostgresHaLock) nodeA.lock("core/lock", "node-a", "https://a:8200");
        PostgresHaLock lockB = (PostgresHaLock) nodeB.lock("core/lock", "node-b", "https://b:8200");
        opened.add(lockA);
        opened.add(lockB);
        ReadCache cacheA = new ReadCache(nodeA, 100, key -> false);
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
        cacheA.activate(lockA::held);
        cacheA.put("data/x", "from a".getBytes(UTF_8));
        assertThat(text(cacheA.get("data/x"))).isEqualTo("from a");
        long hits = cacheA.hits();
        assertThat(text(cacheA.get("data/x"))).isEqualTo("from a");
        assertThat(cacheA.hits()).isEqualTo(hits + 1);

        lockA.pauseRenewal(); // a paused process: it never renews, and it has not stepped down
        assertThat(lockB.tryAcquire(Duration.ofSeconds(10))).isTrue();
        nodeB.put("data/x", "from b".getBytes(UTF_8));

        assertThat(cacheA.active()).as("nobody deactivated it").isTrue();
        assertThat(text(cacheA.get("data/x"))).as("the lease ran out by a's own clock").isEqualTo("from b");
        assertThatThrownBy(() -> cacheA.put("data/x", "stale".getBytes(UTF_8)))
                .isInstanceOf(CofferException.StorageFailure.class).hasMessageContaining("PostgreSQL no longer sees");
        assertThat(cacheA.size()).as("the refused write is not cached").isZero();
        cacheA.activate(() -> true); // even a cache that is told to trust itself again reads the truth
        assertThat(text(cacheA.get("data/x"))).isEqualTo("from b");
    }

    @Test
    void writesAndReadsWhileConnectionsAreKilled_leaveTheCacheEqualToTheTable() throws Exception {
        PostgresBackend node = backend("max_parallel", "8");
        PostgresBackend truth = backend();
        ReadCache cache = new ReadCache(node, 1000, key -> false);
        cache.activate(() -> true);
        int keys = 8;
        AtomicInteger sequence = new AtomicInteger();
        AtomicInteger failedWrites = new AtomicInteger();
        AtomicInteger kills = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            boolean writer = t < 3;
            threads.add(new Thread(() -> {
                Random random = new Random();
                while (System.nanoTime() - end < 0) {
                    String key = "data/k" + random.nextInt(keys);
                    try {
                        if (!writer) {
                            cache.get(key);
                        } else if (random.nextInt(4) == 0) {
                            cache.writeAll(List.of(Write.put(key, ("v" + sequence.incrementAndGet()).getBytes(UTF_8)),
                                    Write.delete("data/k" + random.nextInt(keys))));
                        } else {
                            cache.put(key, ("v" + sequence.incrementAndGet()).getBytes(UTF_8));
                        }
                    } catch (CofferException.StorageFailure e) {
                        if (writer) {
                            failedWrites.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        unexpected.set(e);
                        return;
                    }
                }
            }, "cache-" + (writer ? "writer-" : "reader-") + t));
        }
        threads.add(new Thread(() -> {
            while (System.nanoTime() - end < 0) {
                kills.addAndGet(terminateSessionsTouching(table));
                sleepQuietly(15);
            }
        }, "cache-killer"));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }

        System.out.println("read cache under killed sessions: " + sequence.get() + " writes, " + failedWrites.get()
                + " failed, " + kills.get() + " sessions killed");
        assertThat(unexpected.get()).isNull();
        assertThat(kills.get()).as("sessions were killed").isPositive();
        assertThat(failedWrites.get()).as("some writes failed, some perhaps after their commit").isPositive();
        for (int k = 0; k < keys; k++) {
            String key = "data/k" + k;
            assertThat(text(readRetrying(cache, key))).as(key).isEqualTo(text(readRetrying(truth, key)));
        }
    }

    /** A pooled connection killed while idle fails its next statement once; the pool then replaces it. */
    private static Optional<byte[]> readRetrying(dev.coffer.storage.StorageBackend backend, String key) {
        for (int attempt = 1; ; attempt++) {
            try {
                return backend.get(key);
            } catch (CofferException.StorageFailure e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Ends every data session whose last statement named {@code table} (this test's pool, mid-statement or idle). */
    private static int terminateSessionsTouching(String table) {
        try (Connection admin = TestPostgres.admin();
             PreparedStatement statement = admin.prepareStatement("SELECT count(pg_terminate_backend(pid))"
                     + " FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE ?")) {
            statement.setString(1, "%" + table + "%");
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            return 0;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
