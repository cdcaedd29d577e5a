package dev.coffer.storage.postgresql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.storage.AtomicRestore;
import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.StorageWalk;
import java.io.EOFException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PostgresBackend} as an {@link AtomicRestore}: all or nothing, fenced by the HA tenure. */
@Timeout(120)
class PostgresRestoreTest {

    private final List<String> tables = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        for (String table : tables) {
            TestPostgres.dropTables(table);
        }
    }

    private String newTable(String stem) {
        String table = TestPostgres.uniqueTable(stem);
        tables.add(table);
        return table;
    }

    private PostgresBackend backend(String table, String... extra) {
        PostgresBackend backend = TestPostgres.backend(TestPostgres.config(table, extra));
        closeables.add(backend);
        return backend;
    }

    private static Map<String, String> dump(StorageBackend storage) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        StorageWalk.walk(storage, (k, v) -> out.put(k, HexFormat.of().formatHex(v)));
        return out;
    }

    /** The old data: 500 entries the restores below must leave alone when they fail. */
    private static Map<String, String> fillOld(StorageBackend storage) throws IOException {
        for (int i = 0; i < 500; i++) {
            storage.put("logical/old/k" + i, ("old-" + i).getBytes(UTF_8));
        }
        storage.put("core/keyring", "old keyring".getBytes(UTF_8));
        return dump(storage);
    }

    /** {@code count} new entries in ascending order; {@code beforeEntry} runs before entry i is handed over. */
    private static AtomicRestore.EntrySource entries(int count, IntConsumer beforeEntry) {
        TreeMap<String, byte[]> sorted = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            sorted.put("logical/new/d" + (i % 17) + "/k" + i, ("new-" + i).getBytes(UTF_8));
        }
        Iterator<Map.Entry<String, byte[]>> it = sorted.entrySet().iterator();
        int[] index = {0};
        return () -> {
            if (!it.hasNext()) {
                return null;
            }
            beforeEntry.accept(index[0]++);
            Map.Entry<String, byte[]> e = it.next();
            return new AtomicRestore.Entry(e.getKey(), e.getValue());
        };
    }

    private static AtomicRestore.EntrySource truncatedAfter(int count) {
        AtomicRestore.EntrySource whole = entries(count, i -> { });
        int[] left = {count};
        return () -> {
            if (left[0]-- == 0) {
                throw new EOFException("the entries member ends inside a record");
            }
            return whole.next();
        };
    }

    @Test
    void replaceAll_replacesEveryRow_withAwkwardKeysAndEmptyValues() throws Exception {
        PostgresBackend backend = backend(newTable("rst_all"));
        fillOld(backend);
        TreeMap<String, byte[]> wanted = new TreeMap<>();
        for (String key : List.of("a", "a/b/c", "a.b", "é/ü", "x/\uD83D\uDE00", "core/keyring", "empty")) {
            wanted.put(key, key.equals("empty") ? new byte[0] : key.getBytes(UTF_8));
        }
        for (int i = 0; i < 3_000; i++) {
            wanted.put("logical/m" + (i % 7) + "/k" + i, new byte[] {(byte) i, 0, (byte) (i >> 8)});
        }
        Iterator<Map.Entry<String, byte[]>> it = wanted.entrySet().iterator();

        backend.replaceAll(() -> it.hasNext() ? entry(it.next()) : null);

        Map<String, String> expected = new TreeMap<>();
        wanted.forEach((k, v) -> expected.put(k, HexFormat.of().formatHex(v)));
        assertThat(new TreeMap<>(dump(backend))).isEqualTo(expected);
        assertThat(backend.list("a/")).containsExactly("b/");
        assertThat(backend.get("logical/old/k1")).isEmpty();
    }

    private static AtomicRestore.Entry entry(Map.Entry<String, byte[]> e) {
        return new AtomicRestore.Entry(e.getKey(), e.getValue());
    }

    @Test
    void aSourceThatFailsAtTheEnd_leavesTheOldDataIntact_evenForOtherSessions() throws Exception {
        String table = newTable("rst_trunc");
        PostgresBackend backend = backend(table);
        PostgresBackend otherNode = backend(table);
        Map<String, String> old = fillOld(backend);

        // like an archive cut short: every entry but the last arrives, then the source fails
        assertThatThrownBy(() -> backend.replaceAll(truncatedAfter(2_000)))
                .isInstanceOf(EOFException.class).hasMessageContaining("ends inside a record");

        assertThat(dump(backend)).isEqualTo(old);
        assertThat(dump(otherNode)).isEqualTo(old);
        assertThat(restoreSessions()).isZero();
        backend.replaceAll(entries(10, i -> { }));
        assertThat(dump(otherNode)).hasSize(10);
    }

    @Test
    void whileTheCopyRuns_otherSessionsStillReadTheOldRows() throws Exception {
        String table = newTable("rst_iso");
        PostgresBackend backend = backend(table);
        PostgresBackend otherNode = backend(table);
        Map<String, String> old = fillOld(backend);
        List<Map<String, String>> seenMidway = new ArrayList<>();

        backend.replaceAll(entries(2_000, i -> {
            if (i == 1_500) {
                try {
                    seenMidway.add(dump(otherNode));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }));

        assertThat(seenMidway).containsExactly(old);
        assertThat(dump(otherNode)).hasSize(2_000).doesNotContainKey("logical/old/k1");
    }

    @Test
    void killingTheRestoreSessionHalfway_leavesTheOldDataIntact() throws Exception {
        PostgresBackend backend = backend(newTable("rst_kill"));
        Map<String, String> old = fillOld(backend);

        assertThatThrownBy(() -> backend.replaceAll(entries(20_000, i -> {
            if (i == 10_000) {
                assertThat(terminateRestoreSessions()).isEqualTo(1);
            }
        }))).isInstanceOf(CofferException.StorageFailure.class)
                .hasMessageContaining("cannot restore a snapshot into").hasMessageContaining("nothing was changed");

        assertThat(dump(backend)).isEqualTo(old);
    }

    @Test
    void aDeposedNode_isRefusedBeforeItStarts_andTheNewActiveNodesDataStays() throws Exception {
        String table = newTable("rst_fenced");
        PostgresBackend nodeA = backend(table, "ha_enabled", "true");
        PostgresBackend nodeB = backend(table, "ha_enabled", "true");
        PostgresHaLock lockA = (PostgresHaLock) nodeA.lock("core/lock", "node-a", "a");
        PostgresHaLock lockB = (PostgresHaLock) nodeB.lock("core/lock", "node-b", "b");
        closeables.add(lockA);
        closeables.add(lockB);
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
        Map<String, String> old = fillOld(nodeA);
        // node A pauses (it does not notice its loss); node B takes over once the lease runs out
        lockA.pauseRenewal();
        assertThat(lockB.tryAcquire(Duration.ofSeconds(15))).isTrue();
        assertThat(lockA.holds(lockA.fencingToken().orElseThrow())).isTrue();

        assertThatThrownBy(() -> nodeA.replaceAll(entries(100, i -> { })))
                .isInstanceOf(CofferException.StorageFailure.class)
                .hasMessageContaining("lost leadership: snapshot restore refused before it started")
                .hasMessageContaining("PostgreSQL no longer sees as valid");

        assertThat(dump(nodeB)).isEqualTo(old);
        nodeB.replaceAll(entries(100, i -> { }));
        assertThat(dump(nodeA)).hasSize(100);
    }

    @Test
    void aTakeoverDuringTheCopy_rollsTheRestoreBack_atTheCommitCheck() throws Exception {
        String table = newTable("rst_takeover");
        PostgresBackend nodeA = backend(table, "ha_enabled", "true");
        PostgresBackend nodeB = backend(table, "ha_enabled", "true");
        PostgresHaLock lockA = (PostgresHaLock) nodeA.lock("core/lock", "node-a", "a");
        PostgresHaLock lockB = (PostgresHaLock) nodeB.lock("core/lock", "node-b", "b");
        closeables.add(lockA);
        closeables.add(lockB);
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
        Map<String, String> old = fillOld(nodeA);

        assertThatThrownBy(() -> nodeA.replaceAll(entries(1_000, i -> {
            if (i == 500) {
                lockA.pauseRenewal();
                try {
                    assertThat(lockB.tryAcquire(Duration.ofSeconds(15))).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }))).isInstanceOf(CofferException.StorageFailure.class)
                .hasMessageContaining("lost leadership: snapshot restore refused before its commit");

        assertThat(dump(nodeB)).isEqualTo(old);
    }

    @Test
    void theActiveNode_restoresWhileItRenewsItsLease() throws Exception {
        String table = newTable("rst_active");
        PostgresBackend nodeA = backend(table, "ha_enabled", "true");
        PostgresHaLock lockA = (PostgresHaLock) nodeA.lock("core/lock", "node-a", "a");
        closeables.add(lockA);
        assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
        fillOld(nodeA);

        nodeA.replaceAll(entries(1_000, i -> { }));

        assertThat(dump(nodeA)).hasSize(1_000);
        assertThat(lockA.held()).isTrue();
        nodeA.put("after", new byte[] {1});
    }

    private static int restoreSessions() throws Exception {
        try (Connection admin = TestPostgres.admin();
             PreparedStatement statement = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE application_name LIKE ?")) {
            statement.setString(1, PostgresRestore.APPLICATION_NAME + "%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static int terminateRestoreSessions() {
        try (Connection admin = TestPostgres.admin();
             PreparedStatement statement = admin.prepareStatement("SELECT count(pg_terminate_backend(pid))"
                     + " FROM pg_stat_activity WHERE application_name LIKE ?")) {
            statement.setString(1, PostgresRestore.APPLICATION_NAME + "%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
