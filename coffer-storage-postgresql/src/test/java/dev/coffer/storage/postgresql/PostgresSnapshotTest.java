package dev.coffer.storage.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.snapshot.PreparedSnapshot;
import dev.coffer.snapshot.SnapshotReader;
import dev.coffer.snapshot.SnapshotMetadata;
import dev.coffer.snapshot.Snapshots;
import dev.coffer.storage.ConsistentSnapshot;
import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.StorageWalk;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PostgresBackend} as a {@link ConsistentSnapshot}: complete, in key order, one point in time. */
class PostgresSnapshotTest {
    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<String> tables = new ArrayList<>();
    private final List<StorageBackend> backends = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        backends.forEach(TestPostgres::closeQuietly);
        for (String table : tables) {
            TestPostgres.dropTables(table);
        }
    }

    private PostgresBackend newBackend(String stem) {
        String table = TestPostgres.uniqueTable(stem);
        tables.add(table);
        PostgresBackend backend = TestPostgres.backend(TestPostgres.config(table));
        backends.add(backend);
        return backend;
    }

    /** Keys whose full-key order differs from the (path, key) order of the primary key. */
    private static List<String> awkwardKeys() {
        return List.of("a", "a0", "a/b", "a/b/c", "a/b0", "a.b", "a-z/x", "b", "z/y/x/w", "core/keyring",
                "logical/0c1/x", "sys/token/id/h", "é/ü", "日本/語");
    }

    private static Map<String, String> snapshotOf(ConsistentSnapshot storage) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        storage.snapshot((k, v) -> {
            order.add(k);
            out.put(k, HexFormat.of().formatHex(v));
        });
        assertThat(order).as("strictly ascending String order").isSorted().doesNotHaveDuplicates();
        return out;
    }

    private static Map<String, String> plainDump(StorageBackend storage) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        StorageWalk.walk(storage, (k, v) -> out.put(k, HexFormat.of().formatHex(v)));
        return out;
    }

    @Test
    void snapshotOfAFewThousandKeys_equalsAPlainDump_inAscendingKeyOrder() throws Exception {
        PostgresBackend backend = newBackend("snap_dump");
        Map<String, String> written = new LinkedHashMap<>();
        for (String key : awkwardKeys()) {
            backend.put(key, key.getBytes(StandardCharsets.UTF_8));
            written.put(key, HexFormat.of().formatHex(key.getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 3_000; i++) {
            String key = "logical/m" + (i % 7) + "/d" + (i % 13) + "/k" + i;
            byte[] value = ("value-" + i).getBytes(StandardCharsets.UTF_8);
            backend.put(key, value);
            written.put(key, HexFormat.of().formatHex(value));
        }
        backend.put("empty", new byte[0]);
        written.put("empty", "");

        Map<String, String> snapshot = snapshotOf(backend);

        assertThat(snapshot).containsExactlyInAnyOrderEntriesOf(written);
        assertThat(new ArrayList<>(snapshot.entrySet())).isEqualTo(new ArrayList<>(plainDump(backend).entrySet()));
    }

    @Test
    void keysBeyondTheBasicPlane_stillComeInJavaStringOrder() throws Exception {
        PostgresBackend backend = newBackend("snap_utf16");
        // UTF-16 puts U+1F600 (surrogates D83D DE00) before U+E000 and U+FFFD; UTF-8 byte order puts it after
        List<String> keys = List.of("x/\uE000", "x/\uD83D\uDE00", "x/\uFFFD", "x/a", "x\uE000/b", "x\uD83D\uDE00/c", "y");
        for (String key : keys) {
            backend.put(key, key.getBytes(StandardCharsets.UTF_8));
        }
        Map<String, String> snapshot = snapshotOf(backend);
        assertThat(snapshot.keySet()).containsExactlyElementsOf(keys.stream().sorted().toList());
        assertThat(new ArrayList<>(snapshot.entrySet())).isEqualTo(new ArrayList<>(plainDump(backend).entrySet()));
    }

    @Test
    void writesMadeWhileTheSnapshotIsRead_areNotInIt_andAreNotBlocked() throws Exception {
        PostgresBackend backend = newBackend("snap_pit");
        for (int i = 0; i < 2_000; i++) {
            backend.put(String.format("data/k%05d", i), ("before-" + i).getBytes(StandardCharsets.UTF_8));
        }
        Map<String, String> before = plainDump(backend);

        Map<String, String> snapshot = new LinkedHashMap<>();
        backend.snapshot((key, value) -> {
            if (snapshot.isEmpty()) {
                // the transaction's snapshot exists (its first row is here): write from another thread meanwhile
                CompletableFuture.runAsync(() -> {
                    backend.put("data/k00000", "changed".getBytes(StandardCharsets.UTF_8));
                    backend.put("data/k01999", "changed".getBytes(StandardCharsets.UTF_8));
                    backend.delete("data/k01000");
                    backend.put("data/new", "new".getBytes(StandardCharsets.UTF_8));
                    backend.put("aaa-new-first", "new".getBytes(StandardCharsets.UTF_8));
                }).orTimeout(30, TimeUnit.SECONDS).join();
            }
            snapshot.put(key, HexFormat.of().formatHex(value));
        });

        assertThat(new ArrayList<>(snapshot.entrySet())).isEqualTo(new ArrayList<>(before.entrySet()));
        assertThat(backend.get("data/k01999")).hasValueSatisfying(v ->
                assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("changed"));
        assertThat(backend.get("data/k01000")).isEmpty();
        assertThat(backend.get("data/new")).isPresent();
    }

    @Test
    void anAbortingVisitor_endsTheTransaction_andTheNextSnapshotWorks() throws Exception {
        PostgresBackend backend = newBackend("snap_abort");
        for (int i = 0; i < 1_000; i++) {
            backend.put("k" + i, new byte[] {(byte) i});
        }
        java.io.IOException stop = new java.io.IOException("stop");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend.snapshot((k, v) -> {
            throw stop;
        })).isSameAs(stop);
        assertThat(snapshotOf(backend)).hasSize(1_000);
    }

    // ---- Core-level save and restore on PostgreSQL storage ----

    private record Vault(Core core) implements AutoCloseable {
        static Vault start(StorageBackend storage) {
            Core core = new Core(CoreOptions.of(storage, "postgresql"));
            core.devInit("root");
            return new Vault(core);
        }

        LogicalResponse call(Operation op, String path, ObjectNode body) {
            return core.handle(new LogicalRequest("t", op, path, null, null, body, "root", null, "127.0.0.1", Map.of()));
        }

        void put(String name, String value) {
            ObjectNode body = M.createObjectNode();
            body.putObject("data").put("v", value);
            call(Operation.UPDATE, "secret/data/" + name, body);
        }

        Optional<String> get(String name) {
            try {
                LogicalResponse r = call(Operation.READ, "secret/data/" + name, M.createObjectNode());
                return r.status() == 404 || r.data() == null ? Optional.empty()
                        : Optional.of(r.data().path("data").path("v").asText());
            } catch (CofferException.NotFound e) {
                return Optional.empty();
            }
        }

        @Override
        public void close() {
            core.close();
        }
    }

    @Test
    void coreSaveAndRestore_onPostgresStorage_roundTrips() throws Exception {
        PostgresBackend backend = newBackend("snap_core");
        try (Vault v = Vault.start(backend)) {
            for (int i = 0; i < 50; i++) {
                v.put("app" + i, "v" + i);
            }
            Map<String, String> atSave = plainDump(backend);
            Path file = dir.resolve("pg.snap");
            try (PreparedSnapshot snapshot = Snapshots.save(v.core())) {
                snapshot.writeTo(file);
            }
            SnapshotMetadata metadata;
            try (InputStream in = Files.newInputStream(file)) {
                metadata = SnapshotReader.inspect(in);
            }
            assertThat(metadata.storageType()).isEqualTo("postgresql");
            assertThat(metadata.entryCount()).isEqualTo(atSave.size());

            v.put("app0", "changed");
            v.put("late", "x");
            v.core().barrier().rotate();

            try (InputStream in = Files.newInputStream(file)) {
                assertThat(Snapshots.restore(v.core(), in, false).sealed()).isFalse();
            }
            assertThat(v.core().sealed()).isFalse();
            assertThat(v.get("app0")).contains("v0");
            assertThat(v.get("app49")).contains("v49");
            assertThat(v.get("late")).isEmpty();
            assertThat(plainDump(backend)).isEqualTo(atSave);
            v.put("afterRestore", "ok");
            assertThat(v.get("afterRestore")).contains("ok");
        }
    }

    @Test
    void aRestoreThatPostgresRejectsHalfway_isRolledBack_andTheNodeStaysUnsealedWithItsData() throws Exception {
        PostgresBackend backend = newBackend("snap_rollback");
        try (Vault v = Vault.start(backend)) {
            v.put("app", "at-save");
            backend.put("zz/boom", "only in the snapshot".getBytes(StandardCharsets.UTF_8));
            Path file = dir.resolve("pg.snap");
            try (PreparedSnapshot snapshot = Snapshots.save(v.core())) {
                snapshot.writeTo(file);
            }
            backend.delete("zz/boom");
            v.put("app", "after-save");
            v.core().barrier().rotate();
            Map<String, String> before = plainDump(backend);
            // the last rows of the COPY (keys sort "zz/" last) break a constraint: the whole restore must roll back
            try (java.sql.Connection admin = TestPostgres.admin(); java.sql.Statement s = admin.createStatement()) {
                s.execute("ALTER TABLE " + tables.get(tables.size() - 1) + " ADD CONSTRAINT no_boom CHECK (path <> '/zz/')");
            }

            try (InputStream in = Files.newInputStream(file)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> Snapshots.restore(v.core(), in, false))
                        .isInstanceOf(CofferException.StorageFailure.class)
                        .hasMessageContaining("rolled back, nothing was changed").hasMessageContaining("no_boom");
            }

            assertThat(v.core().sealed()).isFalse();
            assertThat(plainDump(backend)).isEqualTo(before);
            assertThat(v.get("app")).contains("after-save");
            v.put("stillWritable", "ok");
            assertThat(v.get("stillWritable")).contains("ok");
        }
    }

    @Test
    void aTruncatedArchive_isRefusedBeforePostgresIsTouched() throws Exception {
        PostgresBackend backend = newBackend("snap_trunc");
        try (Vault v = Vault.start(backend)) {
            v.put("app", "at-save");
            Path file = dir.resolve("pg.snap");
            try (PreparedSnapshot snapshot = Snapshots.save(v.core())) {
                snapshot.writeTo(file);
            }
            v.put("app", "after-save");
            Map<String, String> before = plainDump(backend);
            byte[] whole = Files.readAllBytes(file);
            Path cut = dir.resolve("cut.snap");
            Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 40));

            try (InputStream in = Files.newInputStream(cut)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> Snapshots.restore(v.core(), in, false))
                        .isInstanceOf(CofferException.BadRequest.class);
            }
            assertThat(v.core().sealed()).isFalse();
            assertThat(plainDump(backend)).isEqualTo(before);
        }
    }
}
