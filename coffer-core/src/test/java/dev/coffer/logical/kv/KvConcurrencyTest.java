package dev.coffer.logical.kv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CofferException;
import dev.coffer.logical.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Concurrent writers to one key: no version lost, check-and-set lets exactly one writer win. */
class KvConcurrencyTest {
    private static final int THREADS = 8;
    private static final int WRITES = 25;
    private final KvHarness kv = new KvHarness();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void close() {
        pool.shutdownNow();
        kv.close();
    }

    @Test
    void concurrentWritersToOneKey_produceContiguousVersionsAndLoseNone() throws Exception {
        kv.put("secret/metadata/app", "{\"max_versions\":1000}");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < WRITES; i++) {
                    kv.put("secret/data/app", "{\"data\":{\"w\":\"" + thread + "-" + i + "\"}}");
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        JsonNode meta = kv.get("secret/metadata/app").data();
        int total = THREADS * WRITES;
        assertThat(meta.get("current_version").asInt()).isEqualTo(total);
        assertThat(meta.get("oldest_version").asInt()).isEqualTo(1);
        Set<String> seen = new HashSet<>();
        for (int v = 1; v <= total; v++) {
            seen.add(kv.call(Operation.READ, "secret/data/app", "{\"version\":" + v + "}").data().at("/data/w").asText());
        }
        assertThat(seen).hasSize(total);
    }

    @Test
    void concurrentCheckAndSet_letsExactlyOneWriterWinEachVersion() throws Exception {
        kv.put("secret/data/counter", "{\"data\":{\"n\":0}}");
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(pool.submit(() -> {
                start.await();
                try {
                    kv.put("secret/data/counter", "{\"options\":{\"cas\":1},\"data\":{\"n\":1}}");
                    wins.incrementAndGet();
                } catch (CofferException.BadRequest e) {
                    conflicts.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        assertThat(wins).hasValue(1);
        assertThat(conflicts).hasValue(THREADS - 1);
        assertThat(kv.get("secret/metadata/counter").data().get("current_version").asInt()).isEqualTo(2);
    }
}
