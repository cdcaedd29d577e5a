package dev.coffer.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.storage.FileBackend;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.StorageWalk;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save and restore through the core: same vault (reload, no seal) and another vault (force, seal, old keys). */
class SnapshotRoundTripTest {
    static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path dir;

    /** A dev-mode vault: KV v2 at secret/, root token "root". */
    record Vault(Core core, byte[] unsealKey) implements AutoCloseable {
        static Vault start(StorageBackend storage, String type) {
            Core core = new Core(CoreOptions.of(storage, type));
            return new Vault(core, core.devInit("root").unsealKey());
        }

        LogicalResponse call(Operation op, String path, ObjectNode body) {
            return core.handle(new LogicalRequest("t", op, path, null, null, body, "root", null, "127.0.0.1", Map.of()));
        }

        void put(String name, Object value) {
            ObjectNode body = M.createObjectNode();
            body.putObject("data").putPOJO("v", value);
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

        void unsealWithOriginalKey() {
            core.unseal(Base64.getEncoder().encodeToString(unsealKey));
        }

        @Override
        public void close() {
            core.close();
        }
    }

    static Path saveTo(Core core, Path file) throws Exception {
        try (PreparedSnapshot snapshot = Snapshots.save(core)) {
            snapshot.writeTo(file);
        }
        return file;
    }

    static Snapshots.Restored restore(Core core, Path file, boolean force) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return Snapshots.restore(core, in, force);
        }
    }

    @Test
    void restoreOnTheSameVault_dropsLaterWrites_keepsItUnsealed_andSurvivesARotationSinceTheSave() throws Exception {
        try (Vault v = Vault.start(new FileBackend(dir.resolve("data")), "file")) {
            v.put("early", "1");
            Path file = saveTo(v.core(), dir.resolve("s.snap"));
            v.core().barrier().rotate();
            v.put("late", "2");
            v.put("early", "changed");

            assertThat(restore(v.core(), file, false).sealed()).isFalse();

            assertThat(v.core().sealed()).isFalse();
            assertThat(v.get("late")).isEmpty();
            assertThat(v.get("early")).contains("1");
            v.put("afterRestore", "3");
            v.core().seal();
            v.unsealWithOriginalKey();
            assertThat(v.get("early")).contains("1");
            assertThat(v.get("afterRestore")).contains("3");
        }
    }

    @Test
    void snapshotOfAnotherVault_isRefusedNamingForce_thenForceRestoresSealsAndOpensWithTheOldKeys() throws Exception {
        Path file;
        try (Vault source = Vault.start(new InmemBackend(), "inmem")) {
            source.put("app", "from-source");
            file = saveTo(source.core(), dir.resolve("s.snap"));
            InmemBackend target = new InmemBackend();
            try (Vault fresh = Vault.start(target, "inmem")) {
                fresh.put("local", "x");
                assertThatThrownBy(() -> restore(fresh.core(), file, false))
                        .isInstanceOf(CofferException.BadRequest.class)
                        .hasMessageContaining("-force").hasMessageContaining("unseal keys");
                assertThat(fresh.get("local")).contains("x");

                assertThat(restore(fresh.core(), file, true).sealed()).isTrue();
                assertThat(fresh.core().sealed()).isTrue();
                assertThat(rawEntries(target)).isEqualTo(archiveEntries(file));

                fresh.core().unseal(Base64.getEncoder().encodeToString(source.unsealKey()));
                assertThat(fresh.get("app")).contains("from-source");
                assertThat(fresh.get("local")).isEmpty();
            }
        }
    }

    @Test
    void inspect_readsTheMetadata_andNothingInTheArchiveIsPlaintext() throws Exception {
        try (Vault v = Vault.start(new InmemBackend(), "inmem")) {
            v.put("app", "very-secret-value");
            Path file = saveTo(v.core(), dir.resolve("s.snap"));
            SnapshotMetadata m;
            try (InputStream in = Files.newInputStream(file)) {
                m = SnapshotReader.inspect(in);
            }
            assertThat(m.formatVersion()).isEqualTo(1);
            assertThat(m.storageType()).isEqualTo("inmem");
            assertThat(m.entryCount()).isEqualTo(archiveEntries(file).size());
            assertThat(m.clusterId()).isEqualTo(v.core().sealStatus().clusterId());
            assertThat(archiveEntries(file).values()).allSatisfy(value -> assertThat(
                    new String(Base64.getDecoder().decode(value), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("very-secret-value"));
        }
    }

    static Map<String, String> rawEntries(StorageBackend storage) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        StorageWalk.walk(storage, (k, v) -> out.put(k, Base64.getEncoder().encodeToString(v)));
        return out;
    }

    static Map<String, String> archiveEntries(Path file) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); VerifiedSnapshot s = SnapshotReader.read(in);
             EntryRecords.Reader r = s.entries()) {
            for (EntryRecords.Entry e = r.next(); e != null; e = r.next()) {
                out.put(e.key(), Base64.getEncoder().encodeToString(e.value()));
            }
        }
        return out;
    }
}
