package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.server.http.TestServer.Res;
import dev.coffer.storage.InmemBackend;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code sys/metrics} over real HTTP: the storage read cache's counters follow the reads requests make. */
class MetricsHttpTest {
    private static final long MAX_BODY = 4096;
    private static final int KEYS = 20;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Each read through the active cache is a hit or a miss. Every other read a request makes (its token) is cached
     * after the first request, so only the fresh keys can miss: all of them the first time, none the second.
     */
    @Test
    void aKeyReadTwiceMissesOnceAndThenHits() {
        server = TestServer.dev(MAX_BODY);
        assertThat(server.call("POST", "sys/mounts/kv1", "{\"type\":\"kv\"}").status()).isEqualTo(204);
        assertThat(server.call("GET", "kv1/warm-up", null).status()).isEqualTo(404);
        Map<String, Long> before = cacheMetrics();

        readEachKey();
        Map<String, Long> afterFirst = cacheMetrics();
        readEachKey();
        Map<String, Long> afterSecond = cacheMetrics();

        assertThat(afterFirst.get("coffer_cache_miss") - before.get("coffer_cache_miss"))
                .as("misses of the first reads").isEqualTo(KEYS);
        assertThat(afterFirst.get("coffer_cache_size") - before.get("coffer_cache_size"))
                .as("\"absent\" answers kept").isEqualTo(KEYS);
        assertThat(afterSecond.get("coffer_cache_miss") - afterFirst.get("coffer_cache_miss"))
                .as("misses of the second reads").isZero();
        // both rounds make the same requests, so the same other hits (tokens); the expired-token sweep, which runs
        // once at activation, may add one hit of the root token to either
        long firstHits = afterFirst.get("coffer_cache_hit") - before.get("coffer_cache_hit");
        long secondHits = afterSecond.get("coffer_cache_hit") - afterFirst.get("coffer_cache_hit");
        assertThat(secondHits - firstHits).as("hits of the second reads beyond the first's").isBetween(KEYS - 1L, KEYS + 1L);
        assertThat(afterSecond.get("coffer_cache_size")).isEqualTo(afterFirst.get("coffer_cache_size"));
        assertThat(server.core().readCache().orElseThrow().misses()).isEqualTo(afterSecond.get("coffer_cache_miss"));
    }

    @Test
    void thePrometheusFormatTypesHitsAndMissesAsCounters() {
        server = TestServer.dev(MAX_BODY);
        server.call("GET", "secret/data/nothing", null);

        Res text = server.call("GET", "sys/metrics?format=prometheus", null);

        assertThat(text.status()).isEqualTo(200);
        assertThat(text.contentType()).startsWith("text/plain");
        assertThat(text.raw()).contains("# TYPE coffer_cache_hit counter\ncoffer_cache_hit ",
                "# TYPE coffer_cache_miss counter\ncoffer_cache_miss ", "# TYPE coffer_cache_size gauge\ncoffer_cache_size ");
        long size = Long.parseLong(text.raw().lines().filter(l -> l.startsWith("coffer_cache_size "))
                .findFirst().orElseThrow().substring("coffer_cache_size ".length()));
        assertThat(size).isPositive();
    }

    @Test
    void withoutACacheThereAreNoCacheMetrics() {
        Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem").withCacheSize(0));
        core.devInit("root");
        server = TestServer.start(core, MAX_BODY).token("root");

        Res json = server.call("GET", "sys/metrics", null);
        Res text = server.call("GET", "sys/metrics?format=prometheus", null);

        assertThat(json.body().get("Gauges").findValuesAsText("Name")).contains("coffer_core_unsealed")
                .doesNotContain("coffer_cache_hit", "coffer_cache_miss", "coffer_cache_size");
        assertThat(text.raw()).contains("coffer_core_unsealed").doesNotContain("coffer_cache");
    }

    private void readEachKey() {
        for (int i = 0; i < KEYS; i++) {
            assertThat(server.call("GET", "kv1/fresh-" + i, null).status()).isEqualTo(404);
        }
    }

    /** The cache's entries of the JSON form, which carry no labels. */
    private Map<String, Long> cacheMetrics() {
        Res r = server.call("GET", "sys/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        Map<String, Long> cache = new HashMap<>();
        for (JsonNode gauge : r.body().get("Gauges")) {
            if (gauge.get("Name").asText().startsWith("coffer_cache_")) {
                assertThat(gauge.get("Labels").isEmpty()).isTrue();
                cache.put(gauge.get("Name").asText(), gauge.get("Value").asLong());
            }
        }
        assertThat(cache).containsOnlyKeys("coffer_cache_hit", "coffer_cache_miss", "coffer_cache_size");
        return cache;
    }
}
