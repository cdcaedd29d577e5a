package dev.coffer.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.barrier.AesGcmBarrier;
import dev.coffer.barrier.BarrierView;
import dev.coffer.storage.InmemBackend;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token entries are keyed by HMAC-SHA256(salt, token), computed from a shared keyed prototype. */
class TokenStoreHashTest {
    private BarrierView view;
    private TokenStore store;

    @BeforeEach
    void unsealed() {
        AesGcmBarrier barrier = new AesGcmBarrier(new InmemBackend());
        byte[] root = new byte[32];
        new SecureRandom().nextBytes(root);
        barrier.initialize(root);
        barrier.unseal(root);
        view = new BarrierView(barrier, "sys/token/");
        store = new TokenStore(view, new SecureRandom(), Clock.systemUTC());
        store.load();
    }

    private String expectedKey(String token) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(view.get(TokenStore.SALT_PATH).orElseThrow(), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void entriesAreKeyedByTheHmacOfTheTokenUnderTheSalt() throws Exception {
        for (String id : new String[] {"hvs.abc", "x", "é-ünïcode", "a".repeat(200)}) {
            store.createRoot(id);
            assertThat(store.lookup(id)).get().extracting(TokenEntry::key).isEqualTo(expectedKey(id));
            assertThat(view.get(TokenStore.ID_PREFIX + expectedKey(id))).isPresent();
        }
        assertThat(store.lookup("hvs.abd")).isEmpty();
    }

    @Test
    void concurrentLookupsEachFindTheirOwnToken() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tokens.add(store.createRoot(null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    int found = 0;
                    for (int i = 0; i < 500; i++) {
                        String token = tokens.get((i * 7 + offset) % tokens.size());
                        if (store.lookup(token).map(e -> e.key()).orElseThrow().equals(expectedKey(token))) {
                            found++;
                        }
                    }
                    return found;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isEqualTo(500);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sealingDropsTheKeyAndUnsealingRestoresLookups() {
        String token = store.createRoot(null);
        store.unload();
        assertThat(store.lookup(token)).isEmpty();
        assertThatThrownBy(() -> store.createRoot(null)).isInstanceOf(CofferException.Sealed.class);
        store.load();
        assertThat(store.lookup(token)).isPresent();
    }
}
