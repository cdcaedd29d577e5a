package dev.coffer.logical.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.logical.BackendFactory;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KV v1 mounted at kv/ through the core's pipeline. */
class KvV1EngineTest {
    private final KvHarness kv = new KvHarness();

    @BeforeEach
    void mount() {
        kv.core.mounts().mount(BackendFactory.Kind.SECRET, "kv", "kv", "", Map.of(), Map.of());
    }

    @AfterEach
    void close() {
        kv.close();
    }

    @Test
    void putGetDelete_storesTheBodyAsIs() {
        assertThat(kv.put("kv/app", "{\"user\":\"u\",\"n\":{\"x\":1}}").status()).isEqualTo(204);
        LogicalResponse r = kv.get("kv/app");
        assertThat(r.data()).isEqualTo(KvHarness.read("{\"user\":\"u\",\"n\":{\"x\":1}}"));
        assertThat(r.leaseDuration()).isEqualTo(2_764_800);
        kv.put("kv/app", "{\"user\":\"v\"}");
        assertThat(kv.get("kv/app").data()).isEqualTo(KvHarness.read("{\"user\":\"v\"}"));
        kv.call(Operation.DELETE, "kv/app", null);
        assertThatThrownBy(() -> kv.get("kv/app")).isInstanceOf(CofferException.NotFound.class);
    }

    @Test
    void ttlField_setsTheLeaseDuration() {
        kv.put("kv/app", "{\"user\":\"u\",\"ttl\":\"1h\"}");
        assertThat(kv.get("kv/app").leaseDuration()).isEqualTo(3600);
    }

    @Test
    void list_showsKeysAndFoldersAnd404WhenEmpty() {
        kv.put("kv/a", "{\"x\":1}");
        kv.put("kv/b/c", "{\"x\":1}");
        assertThat(kv.call(Operation.LIST, "kv/", null).data().get("keys")).isEqualTo(KvHarness.read("[\"a\",\"b/\"]"));
        assertThat(kv.call(Operation.LIST, "kv/b", null).data().get("keys")).isEqualTo(KvHarness.read("[\"c\"]"));
        assertThatThrownBy(() -> kv.call(Operation.LIST, "kv/zzz/", null)).isInstanceOf(CofferException.NotFound.class);
    }

    @Test
    void emptyWriteAndPatch_areRejectedWithAHint() {
        assertThatThrownBy(() -> kv.put("kv/app", "{}")).hasMessageContaining("missing data fields");
        assertThatThrownBy(() -> kv.call(Operation.PATCH, "kv/app", "{\"a\":1}"))
                .isInstanceOf(CofferException.UnsupportedOperation.class);
    }

    @Test
    void unknownVersionOption_isABadRequest() {
        assertThatThrownBy(() -> kv.core.mounts().mount(BackendFactory.Kind.SECRET, "kv3", "kv", "", Map.of(),
                Map.of("version", "3"))).isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("\"1\" or \"2\"");
        assertThat(kv.core.mounts().find(BackendFactory.Kind.SECRET, "kv3")).isEmpty();
    }
}
