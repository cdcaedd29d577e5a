package dev.coffer.logical.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.barrier.BarrierView;
import dev.coffer.logical.BackendContext;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.storage.FileBackend;
import dev.coffer.storage.GatedStorage;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.ReadCache;
import dev.coffer.storage.StorageBackend;
import dev.coffer.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KV v2 version data in reused slots: a key keeps at most max_versions version entries however often it is written,
 * every kept version reads its own data, a stale reader never gets another version's data, and keys written in the
 * older layout (one entry per version number, no number inside) keep working.
 */
class KvVersionSlotsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private BarrierView view;
    private KvV2Backend kv;

    @BeforeEach
    void engine() {
        engineOn(new InmemBackend());
    }

    private void engineOn(StorageBackend storage) {
        view = KvHarness.unsealedView(new GatedStorage(storage, new ReadCache(storage, 1024, k -> false)));
        kv = new KvV2Backend(new BackendContext(null, view, clock, new SecureRandom(), null));
    }

    private LogicalResponse call(Operation op, String path, String json) {
        ObjectNode body = (ObjectNode) KvHarness.read(json == null ? "{}" : json);
        return kv.handle(new LogicalRequest("t", op, "secret/" + path, "secret/", path, body, null, null, "test",
                Map.of()));
    }

    private void write(String key, int i) {
        call(Operation.UPDATE, "data/" + key, "{\"data\":{\"i\":" + i + "}}");
    }

    private int readVersion(String key, int version) {
        return call(Operation.READ, "data/" + key, "{\"version\":" + version + "}").data().at("/data/i").asInt(-1);
    }

    @Test
    void aKeyKeepsMaxVersionsEntriesHoweverOftenItIsWritten() {
        call(Operation.UPDATE, "metadata/app", "{\"max_versions\":3}");
        for (int i = 1; i <= 20; i++) {
            write("app", i);
            assertThat(view.list("versions/app/")).as("entries after write %d", i).hasSize(Math.min(i, 3));
        }
        assertThat(view.list("versions/app/")).containsExactlyInAnyOrder("1", "2", "3");
        for (int v = 18; v <= 20; v++) {
            assertThat(readVersion("app", v)).as("version %d", v).isEqualTo(v);
        }
        assertThat(call(Operation.READ, "data/app", null).data().at("/data/i").asInt()).isEqualTo(20);
        assertThatThrownBy(() -> readVersion("app", 17)).isInstanceOf(CofferException.NotFound.class);
        assertThat(call(Operation.READ, "metadata/app", null).data().get("versions").toString())
                .as("slots are storage detail, not API").doesNotContain("slot");
    }

    @Test
    void raisingAndLoweringMaxVersionsKeepsEveryKeptVersionReadable() {
        call(Operation.UPDATE, "metadata/app", "{\"max_versions\":2}");
        for (int i = 1; i <= 5; i++) {
            write("app", i);
        }
        call(Operation.UPDATE, "metadata/app", "{\"max_versions\":4}");
        for (int i = 6; i <= 9; i++) {
            write("app", i);
        }
        for (int v = 6; v <= 9; v++) {
            assertThat(readVersion("app", v)).as("version %d", v).isEqualTo(v);
        }
        assertThat(view.list("versions/app/")).hasSize(4);

        call(Operation.UPDATE, "metadata/app", "{\"max_versions\":1}");
        write("app", 10);
        assertThat(view.list("versions/app/")).as("the trimmed slots beyond the one reused are deleted").hasSize(1);
        assertThat(readVersion("app", 10)).isEqualTo(10);
    }

    @Test
    void destroyingATrimmedVersionLeavesTheLaterVersionInItsSlotAlone() {
        call(Operation.UPDATE, "metadata/app", "{\"max_versions\":2}");
        for (int i = 1; i <= 3; i++) {
            write("app", i); // version 3 takes version 1's slot
        }
        call(Operation.UPDATE, "destroy/app", "{\"versions\":[1]}");
        assertThat(readVersion("app", 3)).isEqualTo(3);

        call(Operation.UPDATE, "destroy/app", "{\"versions\":[3]}");
        assertThat(call(Operation.READ, "data/app", "{\"version\":3}").status()).isEqualTo(404);
        assertThat(readVersion("app", 2)).isEqualTo(2);
        write("app", 4); // trims version 2 and takes its slot; version 3's emptied slot stays empty
        assertThat(readVersion("app", 4)).isEqualTo(4);
        assertThat(view.list("versions/app/")).hasSize(1);
    }

    @Test
    void deletingTheKeyRemovesEverySlot() {
        call(Operation.UPDATE, "metadata/app", "{\"max_versions\":2}");
        for (int i = 1; i <= 5; i++) {
            write("app", i);
        }
        call(Operation.DELETE, "metadata/app", null);
        assertThat(view.list("versions/app/")).isEmpty();
        assertThat(view.list("metadata/")).isEmpty();
    }

    @Test
    void aReaderWhoseMetadataPredatesTheSlotsReuseReadsNoData() {
        call(Operation.UPDATE, "metadata/app", "{\"max_versions\":1}");
        write("app", 1);
        KvV2Store store = new KvV2Store(view);
        KeyMetadata before = store.metadata("app").orElseThrow();
        write("app", 2); // takes version 1's slot

        assertThat(store.version("app", 1, before.versions.get(1))).as("slot now holds version 2").isEmpty();
        KeyMetadata after = store.metadata("app").orElseThrow();
        assertThat(store.version("app", 2, after.versions.get(2))).map(d -> d.get("i").asInt()).contains(2);
    }

    @Test
    void versionEntriesCarryTheirNumberAndOlderEntriesAreTakenAsIs() {
        JsonNode data = KvHarness.read("{\"a\":\"b\"}");
        byte[] entry = KvV2Store.encodeVersion(70_000, data);
        assertThat(entry[0]).isEqualTo(KvV2Store.VERSION_TAG);
        assertThat(KvV2Store.decodeVersion(entry, 70_000)).contains(data);
        assertThat(KvV2Store.decodeVersion(entry, 70_001)).isEmpty();
        assertThat(KvV2Store.decodeVersion("{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8), 3)).contains(data);
        assertThatThrownBy(() -> KvV2Store.decodeVersion(new byte[] {KvV2Store.VERSION_TAG, 0, 0}, 1))
                .isInstanceOf(CofferException.Internal.class).hasMessageContaining("may be corrupt");
        byte[] tampered = entry.clone();
        tampered[5] = 'x';
        assertThatThrownBy(() -> KvV2Store.decodeVersion(tampered, 70_000))
                .isInstanceOf(CofferException.Internal.class).hasMessageNotContaining("\"b\"");
    }

    /** Storage written before slots: metadata without "slot", version n's bare JSON at versions/key/n. */
    @Test
    void aKeyInTheOlderLayoutReadsAndThenMovesToSlotsAsItIsWritten() {
        view.put("metadata/old", bytes("{\"created_time\":\"2025-01-01T00:00:00Z\","
                + "\"updated_time\":\"2025-01-03T00:00:00Z\","
                + "\"current_version\":3,\"oldest_version\":1,\"max_versions\":3,\"cas_required\":false,"
                + "\"delete_version_after\":0,\"custom_metadata\":{},\"versions\":{"
                + "\"1\":{\"created_time\":\"2025-01-01T00:00:00Z\",\"deletion_time\":\"\",\"destroyed\":false},"
                + "\"2\":{\"created_time\":\"2025-01-02T00:00:00Z\",\"deletion_time\":\"\",\"destroyed\":false},"
                + "\"3\":{\"created_time\":\"2025-01-03T00:00:00Z\",\"deletion_time\":\"\",\"destroyed\":false}}}"));
        for (int v = 1; v <= 3; v++) {
            view.put("versions/old/" + v, bytes("{\"i\":" + v + "}"));
        }
        for (int v = 1; v <= 3; v++) {
            assertThat(readVersion("old", v)).isEqualTo(v);
        }

        write("old", 4); // trims version 1, takes slot 1
        write("old", 5); // trims version 2, takes slot 2
        assertThat(view.list("versions/old/")).containsExactlyInAnyOrder("1", "2", "3");
        for (int v = 3; v <= 5; v++) {
            assertThat(readVersion("old", v)).as("version %d", v).isEqualTo(v);
        }
    }

    @Test
    void theObjectMappersReadingOfMetadataAgreesWithTheStreamingReaderOnSlots() throws Exception {
        call(Operation.UPDATE, "metadata/app", "{\"max_versions\":2}");
        for (int i = 1; i <= 4; i++) {
            write("app", i);
        }
        byte[] stored = view.get("metadata/app").orElseThrow();
        KeyMetadata streamed = KeyMetadataJson.read(stored);
        KeyMetadata mapped = KvV2Store.MAPPER.readValue(stored, KeyMetadata.class);
        assertThat(streamed).isNotNull();
        assertThat(streamed.versions).isEqualTo(mapped.versions);
        assertThat(streamed.versions.get(3).slotOf(3)).isEqualTo(1);
        assertThat(streamed.versions.get(4).slotOf(4)).isEqualTo(2);
    }

    /**
     * The file backend applies a batch entry by entry: reusing a slot there would let a crash between the version
     * and the metadata overwrite the oldest kept version. So each version keeps its own entry and trimmed ones are
     * deleted, as before slots.
     */
    @Test
    void onABackendThatAppliesBatchesEntryByEntryEachVersionKeepsItsOwnEntry(@TempDir Path dir) {
        engineOn(new FileBackend(dir));
        assertThat(view.atomicBatches()).isFalse();
        call(Operation.UPDATE, "metadata/app", "{\"max_versions\":2}");
        for (int i = 1; i <= 5; i++) {
            write("app", i);
        }
        assertThat(view.list("versions/app/")).containsExactlyInAnyOrder("4", "5");
        assertThat(readVersion("app", 4)).isEqualTo(4);
        assertThat(readVersion("app", 5)).isEqualTo(5);
        assertThat(view.get("metadata/app").map(b -> new String(b, StandardCharsets.UTF_8)).orElseThrow())
                .doesNotContain("slot");
    }

    @Test
    void atomicityIsDeclaredThroughTheCacheAndGates() {
        assertThat(view.atomicBatches()).as("in-memory, behind the read cache, the gates and the barrier").isTrue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
