package dev.coffer.storage.postgresql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coffer.CofferException;
import dev.coffer.storage.HaLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lock contract with two nodes (two backends, two lock sessions) on one database. */
@Timeout(60)
class PostgresHaLockTest {

    private static final String KEY = "core/lock";
    private final String table = TestPostgres.uniqueTable("ha");
    private PostgresBackend nodeA;
    private PostgresBackend nodeB;
    private PostgresHaLock lockA;
    private PostgresHaLock lockB;

    @BeforeEach
    void startTwoNodes() {
        nodeA = TestPostgres.backend(TestPostgres.config(table, "ha_enabled", "true"));
        nodeB = TestPostgres.backend(TestPostgres.config(table, "ha_enabled", "true"));
        lockA = (PostgresHaLock) nodeA.lock(KEY, "node-a", "https://a:8200");
        lockB = (PostgresHaLock) nodeB.lock(KEY, "node-b", "https://b:8200");
    }

    @AfterEach
    void stopNodes() throws SQLException {
        lockA.close();
        lockB.close();
        nodeA.close();
        nodeB.close();
        TestPostgres.dropTables(table);
    }

    @Test
    void secondNodeWaitsAndGetsTheLockAfterRelease() throws Exception {
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
        assertThat(lockB.tryAcquire(Duration.ofMillis(600))).isFalse();
        assertThat(lockB.currentHolder()).hasValueSatisfying(h -> {
            assertThat(h.identity()).isEqualTo("node-a");
            assertThat(h.value()).isEqualTo("https://a:8200");
        });
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                lockB.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        lockA.release();

        waiting.get(5, TimeUnit.SECONDS);
        assertThat(lockB.held()).isTrue();
        assertThat(lockA.held()).isFalse();
        assertThat(lockA.lost()).isDone();
        assertThat(lockB.currentHolder()).hasValueSatisfying(h -> assertThat(h.identity()).isEqualTo("node-b"));
    }

    @Test
    void leaseSurvivesManyRenewals() throws Exception {
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
        long token = lockA.fencingToken().orElseThrow();

        assertThat(lockB.tryAcquire(Duration.ofSeconds(5))).isFalse();

        assertThat(lockA.held()).isTrue();
        assertThat(lockA.fencingToken()).hasValue(token);
        assertThat(lockA.lost()).isNotDone();
    }

    @Test
    void fencingTokenIncrementsWithEachTenure() throws Exception {
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
        long first = lockA.fencingToken().orElseThrow();
        lockA.release();
        assertThat(lockA.fencingToken()).isEmpty();
        assertThat(lockB.tryAcquire(Duration.ofSeconds(2))).isTrue();
        long second = lockB.fencingToken().orElseThrow();
        lockB.release();
        assertThat(lockA.tryAcquire(Duration.ofSeconds(2))).isTrue();

        assertThat(second).isEqualTo(first + 1);
        assertThat(lockA.fencingToken()).hasValue(second + 1);
        assertThat(lockA.currentHolder()).hasValueSatisfying(h -> assertThat(h.fencingToken()).isEqualTo(second + 1));
    }

    @Test
    void holderWritesWhileItHoldsTheLock() throws Exception {
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();

        nodeA.put("core/x", "v".getBytes(UTF_8));
        nodeA.delete("core/x");

        assertThat(nodeB.get("core/x")).isEmpty();
    }

    @Test
    void crashedHolderIsReplacedWellBeforeItsLeaseRunsOut() throws Exception {
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
        assertThat(lockB.tryAcquire(Duration.ZERO)).isFalse();
        lockA.pauseRenewal();
        int pid = lockA.sessionPid();

        long start = System.nanoTime();
        terminate(pid);
        assertThat(lockB.tryAcquire(Duration.ofSeconds(10))).isTrue();
        long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        System.out.println("crash takeover took " + takeoverMillis + " ms");
        assertThat(takeoverMillis).isLessThan(2_000);
        assertThatThrownBy(() -> nodeA.put("core/x", "stale".getBytes(UTF_8)))
                .isInstanceOf(CofferException.StorageFailure.class).hasMessageContaining("lost leadership: write refused");
    }

    @Test
    void holderNoticesThatItsLockSessionWasKilled() throws Exception {
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
        CompletableFuture<Void> lost = lockA.lost();

        terminate(lockA.sessionPid());

        lost.get(5, TimeUnit.SECONDS);
        assertThat(lockA.held()).isFalse();
        assertThatThrownBy(() -> nodeA.put("k", new byte[1])).hasMessageContaining("lost leadership: write refused");
        lockA.release();
        nodeA.put("k", new byte[1]);
    }

    @Test
    void pausedHolderLosesItsExpiredLeaseAndPostgresRefusesItsWrite() throws Exception {
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
        long tokenA = lockA.fencingToken().orElseThrow();
        nodeA.put("core/x", "from a".getBytes(UTF_8));
        lockA.pauseRenewal();

        long start = System.nanoTime();
        assertThat(lockB.tryAcquire(Duration.ofSeconds(10))).isTrue();
        long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("paused-holder takeover took " + takeoverMillis + " ms");

        assertThat(takeoverMillis).isGreaterThan(1_500);
        assertThat(lockB.fencingToken()).hasValue(tokenA + 1);
        // node A has not noticed (its renewer is paused), so the refusal comes from PostgreSQL itself
        assertThat(lockA.holds(tokenA)).isTrue();
        assertThatThrownBy(() -> nodeA.put("core/x", "stale".getBytes(UTF_8)))
                .isInstanceOf(CofferException.StorageFailure.class).hasMessageContaining("PostgreSQL no longer sees");
        assertThatThrownBy(() -> nodeA.delete("core/x")).hasMessageContaining("PostgreSQL no longer sees");
        nodeB.put("core/x", "from b".getBytes(UTF_8));
        assertThat(nodeA.get("core/x")).hasValueSatisfying(v -> assertThat(new String(v, UTF_8)).isEqualTo("from b"));
    }

    @Test
    void lockRefusesWhenHaIsOff() throws Exception {
        try (PostgresBackend plain = TestPostgres.backend(TestPostgres.config(table))) {
            assertThat(plain.haEnabled()).isFalse();
            assertThatThrownBy(() -> plain.lock(KEY, "x", "y"))
                    .isInstanceOf(CofferException.UnsupportedOperation.class).hasMessageContaining("ha_enabled");
        }
    }

    @Test
    void renewalsKeepTheLeaseAheadOfTheDatabaseClock() throws Exception {
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
        await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4))
                .until(() -> lockA.held() && lockB.currentHolder().map(h -> h.identity().equals("node-a")).orElse(false));
    }

    private static void terminate(int pid) throws SQLException {
        try (Connection admin = TestPostgres.admin();
             PreparedStatement statement = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
            statement.setInt(1, pid);
            statement.execute();
        }
    }
}
