package dev.coffer.logical.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.storage.FaultInjectingBackend;
import dev.coffer.storage.InmemBackend;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** KV v2 through the core's pipeline, on the dev-mode mount secret/. */
class KvV2EngineTest {
    private final KvHarness kv = new KvHarness();

    @AfterEach
    void close() {
        kv.close();
    }

    @Test
    void writeThenRead_returnsDataAndVersionMetadata() {
        LogicalResponse w = kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}");
        assertThat(w.data().get("version").asInt()).isEqualTo(1);
        assertThat(w.data().get("deletion_time").asText()).isEmpty();
        kv.put("secret/data/app", "{\"data\":{\"a\":\"2\"}}");

        JsonNode latest = kv.get("secret/data/app").data();
        assertThat(latest.at("/data/a").asText()).isEqualTo("2");
        assertThat(latest.at("/metadata/version").asInt()).isEqualTo(2);
        JsonNode v1 = kv.call(Operation.READ, "secret/data/app", "{\"version\":\"1\"}").data();
        assertThat(v1.at("/data/a").asText()).isEqualTo("1");
    }

    /**
     * The new version, the metadata naming it and the deletes of the versions it trims are one storage batch: when
     * the batch fails (here: deletes fail, so an atomic backend refuses the whole batch), the key still reads as
     * before, instead of showing a version whose write was reported as failed. Lowering max_versions from 3 to 1
     * makes the third write trim two versions: one slot takes the new version, the other is deleted.
     */
    @Test
    void writeWhoseStorageBatchFails_changesNothing() {
        FaultInjectingBackend storage = new FaultInjectingBackend(new InmemBackend());
        try (KvHarness faulty = new KvHarness(storage)) {
            faulty.put("secret/metadata/app", "{\"max_versions\":3}");
            faulty.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}");
            faulty.put("secret/data/app", "{\"data\":{\"a\":\"2\"}}");
            faulty.put("secret/metadata/app", "{\"max_versions\":1}");
            storage.failOn(FaultInjectingBackend.Operation.DELETE);

            assertThatThrownBy(() -> faulty.put("secret/data/app", "{\"data\":{\"a\":\"3\"}}"))
                    .isInstanceOf(CofferException.StorageFailure.class);

            storage.heal();
            JsonNode latest = faulty.get("secret/data/app").data();
            assertThat(latest.at("/data/a").asText()).isEqualTo("2");
            assertThat(latest.at("/metadata/version").asInt()).isEqualTo(2);
            assertThat(faulty.call(Operation.READ, "secret/data/app", "{\"version\":1}").data().at("/data/a").asText())
                    .isEqualTo("1");
            assertThat(faulty.call(Operation.LIST, "secret/metadata/", null).data().at("/keys/0").asText()).isEqualTo("app");
        }
    }

    @Test
    void readOfMissingKey_isNotFoundWithoutMessage() {
        assertThatThrownBy(() -> kv.get("secret/data/nope")).isInstanceOf(CofferException.NotFound.class)
                .hasMessage(null);
    }

    @Test
    void writeWithoutData_isRejected() {
        assertThatThrownBy(() -> kv.put("secret/data/app", "{\"a\":1}")).isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("no data provided");
    }

    @Test
    void casMismatch_isRejectedAndCasZeroOnlyCreates() {
        kv.put("secret/data/app", "{\"options\":{\"cas\":0},\"data\":{\"a\":\"1\"}}");
        assertThatThrownBy(() -> kv.put("secret/data/app", "{\"options\":{\"cas\":0},\"data\":{\"a\":\"2\"}}"))
                .isInstanceOf(CofferException.BadRequest.class)
                .hasMessage(KvV2Data.CAS_MISMATCH);
        assertThat(kv.put("secret/data/app", "{\"options\":{\"cas\":1},\"data\":{\"a\":\"2\"}}").data()
                .get("version").asInt()).isEqualTo(2);
    }

    @Test
    void casRequired_onMountOrKey_rejectsWritesWithoutCas() {
        kv.put("secret/config", "{\"cas_required\":true}");
        assertThatThrownBy(() -> kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}"))
                .hasMessageStartingWith(KvV2Data.CAS_REQUIRED);
        kv.put("secret/config", "{\"cas_required\":false}");
        kv.put("secret/metadata/app", "{\"cas_required\":true}");
        assertThatThrownBy(() -> kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}"))
                .hasMessageStartingWith(KvV2Data.CAS_REQUIRED);
        assertThat(kv.put("secret/data/app", "{\"options\":{\"cas\":0},\"data\":{\"a\":\"1\"}}").data()
                .get("version").asInt()).isEqualTo(1);
    }

    @Test
    void maxVersions_trimsTheOldest() {
        kv.put("secret/metadata/app", "{\"max_versions\":2}");
        for (int i = 1; i <= 4; i++) {
            kv.put("secret/data/app", "{\"data\":{\"i\":" + i + "}}");
        }
        JsonNode meta = kv.get("secret/metadata/app").data();
        assertThat(meta.get("current_version").asInt()).isEqualTo(4);
        assertThat(meta.get("oldest_version").asInt()).isEqualTo(3);
        assertThat(meta.get("versions").properties()).extracting(java.util.Map.Entry::getKey).containsExactly("3", "4");
        assertThatThrownBy(() -> kv.call(Operation.READ, "secret/data/app", "{\"version\":2}"))
                .isInstanceOf(CofferException.NotFound.class);
    }

    @Test
    void softDeleteUndeleteAndDestroy() {
        kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}");
        kv.put("secret/data/app", "{\"data\":{\"a\":\"2\"}}");
        kv.call(Operation.DELETE, "secret/data/app", null);

        LogicalResponse deleted = kv.get("secret/data/app");
        assertThat(deleted.status()).isEqualTo(404);
        assertThat(deleted.data().get("data").isNull()).isTrue();
        assertThat(deleted.data().at("/metadata/deletion_time").asText()).isNotEmpty();

        kv.put("secret/undelete/app", "{\"versions\":[2]}");
        assertThat(kv.get("secret/data/app").data().at("/data/a").asText()).isEqualTo("2");

        kv.put("secret/destroy/app", "{\"versions\":[1]}");
        LogicalResponse destroyed = kv.call(Operation.READ, "secret/data/app", "{\"version\":1}");
        assertThat(destroyed.status()).isEqualTo(404);
        assertThat(destroyed.data().at("/metadata/destroyed").asBoolean()).isTrue();
        kv.put("secret/undelete/app", "{\"versions\":[1]}");
        assertThat(kv.call(Operation.READ, "secret/data/app", "{\"version\":1}").status()).isEqualTo(404);

        kv.put("secret/delete/app", "{\"versions\":[2]}");
        assertThat(kv.get("secret/data/app").status()).isEqualTo(404);
    }

    @Test
    void deleteVersionAfter_makesVersionsReadAsDeletedOnceTheTimePasses() {
        kv.put("secret/metadata/app", "{\"delete_version_after\":\"1h\"}");
        LogicalResponse w = kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}");
        assertThat(w.data().get("deletion_time").asText()).isEqualTo("2026-01-01T01:00:00Z");
        assertThat(kv.get("secret/data/app").status()).isEqualTo(200);

        kv.clock.advance(Duration.ofMinutes(61));
        assertThat(kv.get("secret/data/app").status()).isEqualTo(404);
        assertThat(kv.get("secret/metadata/app").data().get("delete_version_after").asText()).isEqualTo("1h0m0s");
    }

    @Test
    void patch_mergesAndNullRemovesAField() {
        kv.put("secret/data/app", "{\"data\":{\"a\":\"1\",\"b\":\"2\",\"n\":{\"x\":1,\"y\":2}}}");
        LogicalResponse p = kv.call(Operation.PATCH, "secret/data/app",
                "{\"data\":{\"b\":null,\"c\":\"3\",\"n\":{\"y\":null,\"z\":3}}}");
        assertThat(p.data().get("version").asInt()).isEqualTo(2);
        assertThat(kv.get("secret/data/app").data().get("data"))
                .isEqualTo(KvHarness.read("{\"a\":\"1\",\"c\":\"3\",\"n\":{\"x\":1,\"z\":3}}"));
    }

    @Test
    void patch_needsAnExistingReadableVersionAndHonoursCas() {
        assertThatThrownBy(() -> kv.call(Operation.PATCH, "secret/data/app", "{\"data\":{\"a\":\"1\"}}"))
                .isInstanceOf(CofferException.NotFound.class);
        kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}");
        assertThatThrownBy(() -> kv.call(Operation.PATCH, "secret/data/app", "{\"options\":{\"cas\":5},\"data\":{}}"))
                .hasMessage(KvV2Data.CAS_MISMATCH);
        kv.call(Operation.DELETE, "secret/data/app", null);
        assertThatThrownBy(() -> kv.call(Operation.PATCH, "secret/data/app", "{\"data\":{\"a\":\"2\"}}"))
                .isInstanceOf(CofferException.NotFound.class);
    }

    @Test
    void subkeys_replacesValuesWithNullDownToDepth() {
        kv.put("secret/data/app", "{\"data\":{\"a\":\"1\",\"n\":{\"x\":{\"deep\":1},\"y\":2}}}");
        assertThat(kv.get("secret/subkeys/app").data().get("subkeys"))
                .isEqualTo(KvHarness.read("{\"a\":null,\"n\":{\"x\":{\"deep\":null},\"y\":null}}"));
        assertThat(kv.call(Operation.READ, "secret/subkeys/app", "{\"depth\":\"1\"}").data().get("subkeys"))
                .isEqualTo(KvHarness.read("{\"a\":null,\"n\":null}"));
    }

    @Test
    void metadata_customMetadataPatchAndDeleteRemovesEverything() {
        kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}");
        kv.put("secret/metadata/app", "{\"custom_metadata\":{\"owner\":\"ops\",\"tier\":\"1\"}}");
        kv.call(Operation.PATCH, "secret/metadata/app", "{\"custom_metadata\":{\"tier\":null,\"env\":\"prod\"}}");
        JsonNode meta = kv.get("secret/metadata/app").data();
        assertThat(meta.get("custom_metadata")).isEqualTo(KvHarness.read("{\"env\":\"prod\",\"owner\":\"ops\"}"));
        assertThat(kv.get("secret/data/app").data().at("/metadata/custom_metadata/owner").asText()).isEqualTo("ops");

        kv.call(Operation.DELETE, "secret/metadata/app", null);
        assertThatThrownBy(() -> kv.get("secret/metadata/app")).isInstanceOf(CofferException.NotFound.class);
        assertThat(kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}").data().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void list_showsKeysAndFolders() {
        kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}");
        kv.put("secret/data/app/db", "{\"data\":{\"a\":\"1\"}}");
        kv.put("secret/data/web", "{\"data\":{\"a\":\"1\"}}");
        assertThat(kv.call(Operation.LIST, "secret/metadata/", null).data().get("keys"))
                .isEqualTo(KvHarness.read("[\"app\",\"app/\",\"web\"]"));
        assertThat(kv.call(Operation.LIST, "secret/metadata/app", null).data().get("keys"))
                .isEqualTo(KvHarness.read("[\"db\"]"));
        assertThatThrownBy(() -> kv.call(Operation.LIST, "secret/metadata/none/", null))
                .isInstanceOf(CofferException.NotFound.class);
    }

    @Test
    void existenceCheck_makesFirstWriteACreateAndLaterOnesUpdates() {
        var backend = kv.core.mounts();
        assertThat(backend.find(dev.coffer.logical.BackendFactory.Kind.SECRET, "secret/")).isPresent();
        KvV2Backend engine = new KvV2Backend(new dev.coffer.logical.BackendContext(
                backend.find(dev.coffer.logical.BackendFactory.Kind.SECRET, "secret/").orElseThrow(),
                new dev.coffer.barrier.BarrierView(kv.core.barrier(), "logical/"
                        + backend.find(dev.coffer.logical.BackendFactory.Kind.SECRET, "secret/").orElseThrow().uuid() + "/"),
                kv.clock, new java.security.SecureRandom(), null));
        var req = new dev.coffer.logical.LogicalRequest("t", Operation.UPDATE, "secret/data/app", "secret/", "data/app",
                KvHarness.M.createObjectNode(), null, null, null, null);
        assertThat(engine.exists(req)).isFalse();
        kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}");
        assertThat(engine.exists(req)).isTrue();
        assertThat(engine.exists(req.withRoute("secret/", "config"))).isTrue();
    }

    @Test
    void config_roundTripsAndAppliesMaxVersions() {
        kv.put("secret/config", "{\"max_versions\":1,\"delete_version_after\":\"90s\"}");
        assertThat(kv.get("secret/config").data())
                .isEqualTo(KvHarness.read("{\"cas_required\":false,\"delete_version_after\":\"1m30s\",\"max_versions\":1}"));
        kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}");
        kv.put("secret/data/app", "{\"data\":{\"a\":\"2\"}}");
        assertThat(kv.get("secret/metadata/app").data().get("versions").size()).isEqualTo(1);
    }

    @Test
    void unknownPathsAndBadKeys_sayWhatToFix() {
        assertThatThrownBy(() -> kv.get("secret/app")).isInstanceOf(CofferException.NotFound.class)
                .hasMessageContaining("data/");
        assertThatThrownBy(() -> kv.put("secret/data/", "{\"data\":{}}")).hasMessageContaining("missing key name");
        assertThatThrownBy(() -> kv.put("secret/data/a/../b", "{\"data\":{}}")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> kv.put("secret/delete/app", "{}")).hasMessageContaining("no version number");
    }
}
