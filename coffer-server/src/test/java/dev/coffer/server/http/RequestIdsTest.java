package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void idsAreRandomUuidsInTheCanonicalForm() {
        RequestIds ids = new RequestIds();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String id = ids.next();
            UUID parsed = UUID.fromString(id);
            assertThat(parsed.version()).isEqualTo(4);
            assertThat(parsed.variant()).isEqualTo(2);
            assertThat(parsed.toString()).isEqualTo(id);
            assertThat(seen.add(id)).isTrue();
        }
    }

    /** The bits are the generator's, as {@link UUID#randomUUID()} lays them out, 16 bytes per id, none skipped. */
    @Test
    void eachIdTakesTheNextSixteenBytesOfTheGenerator() {
        SecureRandom counting = new SecureRandom() {
            private int b;

            @Override
            public void nextBytes(byte[] bytes) {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) b++;
                }
            }
        };
        RequestIds ids = new RequestIds(counting);
        for (int n = 0; n < 200; n++) {
            byte[] expected = new byte[16];
            for (int i = 0; i < 16; i++) {
                expected[i] = (byte) (n * 16 + i);
            }
            expected[6] = (byte) ((expected[6] & 0x0f) | 0x40);
            expected[8] = (byte) ((expected[8] & 0x3f) | 0x80);
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(expected);
            assertThat(ids.next()).isEqualTo(new UUID(bb.getLong(), bb.getLong()).toString());
        }
    }

    @Test
    void concurrentCallersNeverShareAnId() throws Exception {
        RequestIds ids = new RequestIds();
        Set<String> all = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        all.add(ids.next());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(all).hasSize(30_000);
    }
}
