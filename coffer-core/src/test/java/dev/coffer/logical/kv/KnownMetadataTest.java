package dev.coffer.logical.kv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.barrier.BarrierView;
import dev.coffer.logical.BackendContext;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.storage.InmemBackend;
import dev.coffer.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two KV v2 engines on the same storage, as the nodes of a cluster are: whatever one writes, the other's next
 * request sees, although each skips parsing metadata whose stored bytes it has parsed or written before.
 */
class KnownMetadataTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private BarrierView view;
    private KvV2Backend a;
    private KvV2Backend b;

    @BeforeEach
    void twoEnginesOnOneStorage() {
        view = KvHarness.unsealedView(new InmemBackend());
        a = new KvV2Backend(new BackendContext(null, view, clock, new SecureRandom(), null));
        b = new KvV2Backend(new BackendContext(null, view, clock, new SecureRandom(), null));
    }

    private static LogicalResponse call(KvV2Backend engine, Operation op, String path, String json) {
        ObjectNode body = (ObjectNode) KvHarness.read(json == null ? "{}" : json);
        return engine.handle(new LogicalRequest("t", op, "secret/" + path, "secret/", path, body, null, null, "test",
                Map.of()));
    }

    /** What a fresh parse of the stored bytes says, as JSON text (the slow path the memo must agree with). */
    private String storedMetadata(String key) throws Exception {
        return view.get(KvV2Store.METADATA + key)
                .map(json -> KvV2Store.readMetadata(json, key))
                .map(m -> KvResponses.keyMetadata(m).toString()).orElse("absent");
    }

    private String metadataThrough(KvV2Backend engine, String key) {
        LogicalResponse r;
        try {
            r = call(engine, Operation.READ, "metadata/" + key, null);
        } catch (dev.coffer.CofferException.NotFound e) {
            return "absent";
        }
        return r.data().toString();
    }

    @Test
    void writesByOneEngineAreSeenByTheOthersNextRead() {
        call(a, Operation.UPDATE, "data/k", "{\"data\":{\"v\":\"1\"}}");
        assertThat(call(b, Operation.READ, "data/k", null).data().at("/data/v").asText()).isEqualTo("1");
        call(a, Operation.UPDATE, "data/k", "{\"data\":{\"v\":\"2\"}}");
        JsonNode read = call(b, Operation.READ, "data/k", null).data();
        assertThat(read.at("/data/v").asText()).isEqualTo("2");
        assertThat(read.at("/metadata/version").asInt()).isEqualTo(2);
        call(b, Operation.UPDATE, "data/k", "{\"data\":{\"v\":\"3\"},\"options\":{\"cas\":2}}");
        assertThat(call(a, Operation.READ, "data/k", null).data().at("/metadata/version").asInt()).isEqualTo(3);
        call(a, Operation.DELETE, "metadata/k", null);
        assertThat(metadataThrough(b, "k")).isEqualTo("absent");
    }

    @Test
    void theMetadataHandedOutIsACopy() {
        call(a, Operation.UPDATE, "data/k", "{\"data\":{\"v\":\"1\"}}");
        KvV2Store store = storeOf(a);
        KeyMetadata first = store.metadata("k").orElseThrow();
        first.currentVersion = 99;
        first.versions.clear();
        first.customMetadata.put("x", "y");
        KeyMetadata second = store.metadata("k").orElseThrow();
        assertThat(second).isNotSameAs(first);
        assertThat(second.currentVersion).isEqualTo(1);
        assertThat(second.versions).containsOnlyKeys(1);
        assertThat(second.customMetadata).isEmpty();
    }

    @Test
    void randomChangesThroughBothEnginesAlwaysReadAsAFreshParseWould() throws Exception {
        Random r = new Random(21);
        for (int i = 0; i < 600; i++) {
            KvV2Backend engine = r.nextBoolean() ? a : b;
            String key = "k" + r.nextInt(3);
            int v = 1 + r.nextInt(12);
            try {
                switch (r.nextInt(8)) {
                    case 0, 1, 2 -> call(engine, Operation.UPDATE, "data/" + key, "{\"data\":{\"i\":" + i + "}}");
                    case 3 -> call(engine, Operation.UPDATE, "delete/" + key, "{\"versions\":[" + v + "]}");
                    case 4 -> call(engine, Operation.UPDATE, "undelete/" + key, "{\"versions\":[" + v + "]}");
                    case 5 -> call(engine, Operation.UPDATE, "destroy/" + key, "{\"versions\":[" + v + "]}");
                    case 6 -> call(engine, Operation.UPDATE, "metadata/" + key, "{\"max_versions\":" + (r.nextInt(4) + 2)
                            + ",\"custom_metadata\":{\"n\":\"" + i + "\"}}");
                    default -> call(engine, r.nextInt(4) == 0 ? Operation.DELETE : Operation.READ, "metadata/" + key, null);
                }
            } catch (dev.coffer.CofferException e) {
                // a version that is not there, a key that does not exist yet: the same for the slow path
            }
            clock.advance(Duration.ofMillis(r.nextInt(1000)));
            for (KvV2Backend reader : new KvV2Backend[] {a, b}) {
                String through = metadataThrough(reader, key);
                String stored = storedMetadata(key);
                assertThat(through).as("step %d", i).isEqualTo(stored);
            }
        }
    }

    @Test
    void rememberedMetadataIsBoundedPerMountAndDroppedOnClose() {
        for (int i = 0; i < KvV2Store.KNOWN_METADATA + 20; i++) {
            call(a, Operation.UPDATE, "data/k" + i, "{\"data\":{\"v\":\"1\"}}");
        }
        assertThat(storeOf(a).known.size()).isLessThanOrEqualTo(KvV2Store.KNOWN_METADATA);
        a.close();
        assertThat(storeOf(a).known.size()).isZero();
        assertThat(call(a, Operation.READ, "data/k7", null).data().at("/data/v").asText()).isEqualTo("1");
    }

    private static KvV2Store storeOf(KvV2Backend engine) {
        return engine.store();
    }
}
