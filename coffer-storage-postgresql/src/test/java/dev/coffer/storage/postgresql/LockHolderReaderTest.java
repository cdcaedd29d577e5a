package dev.coffer.storage.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Standbys read the lock holder on a connection of their own: a full or broken data pool does not hide the active. */
@Timeout(60)
class LockHolderReaderTest {

    private static final String KEY = "core/lock";
    private final String table = TestPostgres.uniqueTable("holder");
    private PostgresBackend active;
    private PostgresBackend standby;
    private PostgresHaLock activeLock;
    private PostgresHaLock standbyLock;
    private final List<Connection> held = new ArrayList<>();

    @BeforeEach
    void activeAndStandby() throws Exception {
        active = TestPostgres.backend(TestPostgres.config(table, "ha_enabled", "true"));
        standby = TestPostgres.backend(TestPostgres.config(table, "ha_enabled", "true", "max_parallel", "2"));
        activeLock = (PostgresHaLock) active.lock(KEY, "node-a", "https://a:8200");
        standbyLock = (PostgresHaLock) standby.lock(KEY, "node-b", "https://b:8200");
        assertThat(activeLock.tryAcquire(Duration.ZERO)).isTrue();
    }

    @AfterEach
    void stop() throws SQLException {
        for (Connection c : held) {
            c.close();
        }
        activeLock.close();
        standbyLock.close();
        active.close();
        standby.close();
        TestPostgres.dropTables(table);
    }

    @Test
    void theHolderIsReadWhileEveryConnectionOfTheDataPoolIsTaken() throws Exception {
        held.add(standby.pooledConnection());
        held.add(standby.pooledConnection());

        long start = System.nanoTime();
        var holder = standbyLock.currentHolder();
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(holder).hasValueSatisfying(h -> {
            assertThat(h.identity()).isEqualTo("node-a");
            assertThat(h.fencingToken()).isEqualTo(activeLock.fencingToken().orElseThrow());
        });
        assertThat(millis).as("ms for the read; the pool would have made it wait 5 s and fail").isLessThan(2_000);
    }

    @Test
    void aTerminatedReaderSessionIsReplacedByTheNextRead() throws Exception {
        assertThat(standbyLock.currentHolder()).isPresent();
        int pid = standby.holderSessionPid();
        try (Connection admin = TestPostgres.admin();
             PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
            kill.setInt(1, pid);
            kill.execute();
        }

        assertThat(standbyLock.currentHolder()).as("read right after the termination")
                .hasValueSatisfying(h -> assertThat(h.identity()).isEqualTo("node-a"));
        assertThat(standby.holderSessionPid()).isNotEqualTo(pid);
    }

    @Test
    void aReadThatPostgresCannotAnswerEndsAfterTheShortStatementTimeoutAndTheNextReadWorks() throws Exception {
        assertThat(standbyLock.currentHolder()).isPresent();
        try (Connection admin = TestPostgres.admin(); Statement statement = admin.createStatement()) {
            admin.setAutoCommit(false);
            statement.execute("LOCK TABLE " + table + "_ha IN ACCESS EXCLUSIVE MODE");

            long start = System.nanoTime();
            assertThatThrownBy(standbyLock::currentHolder).isInstanceOf(CofferException.StorageFailure.class)
                    .hasMessageContaining("cannot read the HA lock").hasMessageContaining("57014");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("ms until the blocked read gave up").isBetween(900L, 2_500L);
            admin.rollback();
        }
        assertThat(standbyLock.currentHolder()).hasValueSatisfying(h -> assertThat(h.identity()).isEqualTo("node-a"));
    }
}
