package dev.coffer.logical.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.Operation;
import dev.coffer.storage.StorageBackend.Write;
import dev.coffer.token.TokenRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A write to {@code data/<key>} needs "create" when the key has no current version and "update" when it has one,
 * decided by the engine's existence check before the ACL.
 */
class KvCreateOrUpdateTest {
    private final KvHarness kv = new KvHarness();

    @AfterEach
    void close() {
        kv.close();
    }

    private String tokenWith(String capability) {
        return tokenWith(kv, capability);
    }

    private void write(String token, String key) {
        write(kv, token, key);
    }

    @Test
    void createIsNeededForANewKeyAndUpdateForAnExistingOne() {
        String create = tokenWith("create");
        String update = tokenWith("update");
        assertThatThrownBy(() -> write(update, "fresh")).isInstanceOf(CofferException.PermissionDenied.class)
                .hasMessageContaining("create");
        write(create, "fresh");
        assertThatThrownBy(() -> write(create, "fresh")).isInstanceOf(CofferException.PermissionDenied.class)
                .hasMessageContaining("update");
        write(update, "fresh");
        assertThat(kv.get("secret/data/fresh").data().at("/metadata/version").asInt()).isEqualTo(2);
    }

    /**
     * A write of a key whose first version is still being stored: the check of a second writer waits for it and
     * sees the key exists, so an update-only token may write the second version (the order the writes apply in).
     */
    @Test
    void theCheckWaitsForAnInFlightWriteOfTheSameKey() throws Exception {
        java.util.concurrent.CountDownLatch inStorage = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        dev.coffer.storage.InmemBackend data = new dev.coffer.storage.InmemBackend();
        dev.coffer.storage.StorageBackend slow = new dev.coffer.storage.StorageBackend() {
            @Override
            public java.util.Optional<byte[]> get(String key) {
                return data.get(key);
            }

            @Override
            public void put(String key, byte[] value) {
                data.put(key, value);
            }

            @Override
            public void delete(String key) {
                data.delete(key);
            }

            @Override
            public List<String> list(String prefix) {
                return data.list(prefix);
            }

            @Override
            public void writeAll(List<Write> writes) {
                if (writes.stream().anyMatch(w -> w.key().endsWith("metadata/slow"))) {
                    inStorage.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                data.writeAll(writes);
            }
        };
        try (KvHarness slowKv = new KvHarness(slow)) {
            String create = tokenWith(slowKv, "create");
            String update = tokenWith(slowKv, "update");
            java.util.concurrent.CompletableFuture<Void> first = java.util.concurrent.CompletableFuture.runAsync(
                    () -> write(slowKv, create, "slow"));
            assertThat(inStorage.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Thread[] second = new Thread[1];
            java.util.concurrent.CompletableFuture<Void> secondDone = new java.util.concurrent.CompletableFuture<>();
            second[0] = Thread.ofPlatform().start(() -> {
                try {
                    write(slowKv, update, "slow");
                    secondDone.complete(null);
                } catch (RuntimeException e) {
                    secondDone.completeExceptionally(e);
                }
            });
            // the second writer's check blocks on the key while the first write is in storage
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(
                    () -> second[0].getState() == Thread.State.WAITING || secondDone.isDone());
            assertThat(secondDone).as("the check must not answer before the first write is stored").isNotDone();
            release.countDown();
            first.get(10, java.util.concurrent.TimeUnit.SECONDS);
            secondDone.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(slowKv.get("secret/data/slow").data().at("/metadata/version").asInt()).isEqualTo(2);
        } finally {
            release.countDown();
        }
    }

    private static String tokenWith(KvHarness harness, String capability) {
        harness.core.policies().put(capability + "-only",
                "path \"secret/data/*\" { capabilities = [\"" + capability + "\", \"read\"] }");
        return harness.core.tokens().create(TokenRequest.child(null, List.of(capability + "-only"), null)).token();
    }

    private static void write(KvHarness harness, String token, String key) {
        ObjectNode body = (ObjectNode) KvHarness.read("{\"data\":{\"v\":\"" + key + "\"}}");
        harness.core.handle(new LogicalRequest("t", Operation.UPDATE, "secret/data/" + key, null, null, body, token,
                null, "127.0.0.1", Map.of()));
    }

    @Test
    void aKeyWhoseVersionsWereAllDeletedByMetadataDeleteNeedsCreateAgain() {
        String create = tokenWith("create");
        String update = tokenWith("update");
        kv.put("secret/data/k", "{\"data\":{\"a\":\"1\"}}");
        write(update, "k");
        kv.call(Operation.DELETE, "secret/metadata/k", null);
        assertThatThrownBy(() -> write(update, "k")).isInstanceOf(CofferException.PermissionDenied.class);
        write(create, "k");
    }

    @Test
    void theShortCheckAgreesWithTheFullParseOnEveryWrittenShape() throws Exception {
        java.util.Random r = new java.util.Random(9);
        for (int i = 0; i < 2_000; i++) {
            KeyMetadata m = KeyMetadata.fresh(java.time.Instant.ofEpochSecond(r.nextInt(2_000_000_000)));
            for (int n = r.nextInt(14); n > 0; n--) {
                m.addVersion(java.time.Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1_000_000_000)),
                        r.nextInt(3) == 0 ? r.nextInt(1000) : 0);
                m.trimTo(10);
            }
            m.currentVersion = r.nextInt(5) == 0 ? 0 : m.currentVersion;
            byte[] json = KvV2Store.MAPPER.writeValueAsBytes(m);
            assertThat(KeyMetadataJson.currentVersion(json)).isEqualTo(m.currentVersion);
        }
        assertThat(KeyMetadataJson.currentVersion("{\"current_version\":-3}".getBytes())).isEqualTo(-1);
        assertThat(KeyMetadataJson.currentVersion("{\"max_versions\":1,\"current_version\":3}".getBytes())).isEqualTo(-1);
        assertThat(KeyMetadataJson.currentVersion("{\"created_time\":null,\"current_version\":3}".getBytes())).isEqualTo(-1);
        assertThat(KeyMetadataJson.currentVersion("{\"current_version\":\"3\"}".getBytes())).isEqualTo(-1);
        assertThat(KeyMetadataJson.currentVersion("{\"created_time\":\"x\",\"current_version\":3,".getBytes())).isEqualTo(3);
    }
}
