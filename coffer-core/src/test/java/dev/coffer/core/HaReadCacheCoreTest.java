package dev.coffer.core;

import static dev.coffer.core.HaCores.restoreSnapshot;
import static dev.coffer.core.HaCores.saveSnapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.BackendFactory;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.ReadCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage read cache inside cores: two HA cores on one store, each with its own cache, must never serve what
 * the other node changed, whichever way leadership moved; a restore or a seal empties it.
 */
class HaReadCacheCoreTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @RegisterExtension
    final HaCores cluster = new HaCores(WAIT);

    private static ReadCache cache(Core core) {
        return core.readCache().orElseThrow();
    }

    private LogicalResponse call(Core core, String token, Operation op, String path, String json) {
        ObjectNode body = json == null ? null : (ObjectNode) Json.read(json.getBytes(StandardCharsets.UTF_8),
                JsonNode.class, "test");
        return core.handle(new LogicalRequest("t", op, path, null, null, body, token, null, "test", Map.of()));
    }

    private void kvPut(Core core, String name, String value) {
        call(core, cluster.rootToken(), Operation.UPDATE, "secret/data/" + name,
                "{\"data\":{\"v\":\"" + value + "\"}}");
    }

    private String kvGet(Core core, String name) {
        return call(core, cluster.rootToken(), Operation.READ, "secret/data/" + name, null).data().at("/data/v")
                .asText();
    }

    private String createToken(Core core) {
        return call(core, cluster.rootToken(), Operation.UPDATE, "auth/token/create", "{\"policies\":[\"default\"]}")
                .auth().get("client_token").asText();
    }

    @Test
    void whatAnotherNodeWroteWhileThisOneWasStandbyIsReadAfterTakeover() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        cluster.awaitStandby(b);
        a.mounts().mount(BackendFactory.Kind.SECRET, "secret/", "kv", "test", Map.of(), Map.of("version", "2"));
        kvPut(a, "changed", "from a");
        kvPut(a, "deleted", "from a");
        String token = createToken(a);
        // a caches all three (and the token) by reading them
        assertThat(kvGet(a, "changed")).isEqualTo("from a");
        assertThat(kvGet(a, "deleted")).isEqualTo("from a");
        assertThat(a.authenticate(token)).isNotNull();
        long hitsBefore = cache(a).hits();
        assertThat(kvGet(a, "changed")).isEqualTo("from a");
        assertThat(cache(a).hits()).as("the active node reads from its cache").isGreaterThan(hitsBefore);

        cluster.handOver(a, b);
        assertThat(cache(a).active()).as("a standby serves nothing from its cache").isFalse();
        kvPut(b, "changed", "from b");
        call(b, cluster.rootToken(), Operation.DELETE, "secret/metadata/deleted", null);
        call(b, cluster.rootToken(), Operation.UPDATE, "auth/token/revoke", "{\"token\":\"" + token + "\"}");
        assertThat(kvGet(b, "changed")).isEqualTo("from b");

        cluster.handOver(b, a);
        assertThat(kvGet(a, "changed")).isEqualTo("from b");
        assertThatThrownBy(() -> kvGet(a, "deleted")).isInstanceOf(CofferException.NotFound.class);
        assertThatThrownBy(() -> a.authenticate(token)).isInstanceOf(CofferException.PermissionDenied.class);
    }

    @Test
    void aStandbyReadsStorageNotItsCache() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        cluster.awaitStandby(b);
        a.barrier().put("data/x", bytes("1"));

        assertThat(text(b.barrier().get("data/x"))).isEqualTo("1");
        a.barrier().put("data/x", bytes("2"));
        assertThat(text(b.barrier().get("data/x"))).isEqualTo("2");
        assertThat(cache(b).size()).isZero();
    }

    @Test
    void afterALostLeaseNeitherNodeReadsWhatWasCachedBeforeTheLoss() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        cluster.awaitStandby(b);
        a.barrier().put("data/x", bytes("from a"));
        assertThat(text(a.barrier().get("data/x"))).isEqualTo("from a");

        cluster.store().expireLease(true);
        // written while nobody held the lock, as by a node that took over and lost it again at once
        cluster.store().data().put("data/x", a.barrier().encryptDetached("data/x", bytes("after the loss")));

        await().atMost(WAIT).until(() -> a.haState().self() ^ b.haState().self());
        assertThat(text(a.barrier().get("data/x"))).isEqualTo("after the loss");
        assertThat(text(b.barrier().get("data/x"))).isEqualTo("after the loss");
    }

    @Test
    void aHolderWhoseLeaseRanOutUnnoticedDoesNotServeFromItsCache() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        a.barrier().put("data/x", bytes("from a"));
        assertThat(text(a.barrier().get("data/x"))).isEqualTo("from a");

        cluster.store().expireLease(false); // a is "paused": it still believes it leads
        Core b = cluster.node("b");
        cluster.awaitActive(b);
        b.barrier().put("data/x", bytes("from b"));

        assertThat(a.haState().self()).as("a never noticed").isTrue();
        assertThat(cache(a).active()).isTrue();
        assertThat(text(a.barrier().get("data/x"))).as("the cache's guard asks the lock on every hit")
                .isEqualTo("from b");
    }

    @Test
    void sealingEmptiesTheCache_andAnUnsealedStandbyKeepsItOff() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        a.barrier().put("data/x", bytes("from a"));
        a.barrier().get("data/x");
        assertThat(cache(a).size()).isPositive();

        a.seal();

        assertThat(cache(a).active()).isFalse();
        assertThat(cache(a).size()).isZero();
        cluster.awaitActive(b);
        b.barrier().put("data/x", bytes("from b"));
        a.unseal(cluster.unsealKey());
        cluster.awaitStandby(a);
        assertThat(cache(a).active()).isFalse();
        assertThat(text(a.barrier().get("data/x"))).isEqualTo("from b");
    }

    @Test
    void aRestoreOnTheActiveNodeIsReadAtOnce_andTheStandbyReadsItAfterTakeover() throws Exception {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        cluster.awaitStandby(b);
        a.barrier().put("data/x", bytes("at snapshot"));
        Path snap = saveSnapshot(a, dir.resolve("a.snap"));
        a.barrier().put("data/x", bytes("after snapshot"));
        assertThat(text(a.barrier().get("data/x"))).isEqualTo("after snapshot");

        assertThat(restoreSnapshot(a, snap, false).sealed()).isFalse();

        assertThat(a.haState().self()).isTrue();
        assertThat(text(a.barrier().get("data/x"))).isEqualTo("at snapshot");
        cluster.handOver(a, b);
        assertThat(text(b.barrier().get("data/x"))).isEqualTo("at snapshot");
    }

    @Test
    void withoutHaARestoreReplacesWhatWasCached() throws Exception {
        InmemBackend storage = new InmemBackend();
        Core core = cluster.closeAfterTest(new Core(CoreOptions.of(storage, "inmem")));
        core.devInit(null);
        core.barrier().put("data/x", bytes("at snapshot"));
        Path snap = saveSnapshot(core, dir.resolve("single.snap"));
        core.barrier().put("data/x", bytes("after snapshot"));
        core.barrier().put("data/y", bytes("only after"));
        assertThat(text(core.barrier().get("data/x"))).isEqualTo("after snapshot");
        assertThat(cache(core).active()).isTrue();

        restoreSnapshot(core, snap, false);

        assertThat(text(core.barrier().get("data/x"))).isEqualTo("at snapshot");
        assertThat(core.barrier().get("data/y")).isEmpty();
        assertThat(cache(core).active()).isTrue();
    }

    @Test
    void disableCacheMeansNoCache() {
        Core core = cluster.closeAfterTest(new Core(CoreOptions.of(new InmemBackend(), "inmem").withCacheSize(0)));
        core.devInit(null);
        core.barrier().put("data/x", bytes("1"));
        assertThat(core.readCache()).isEmpty();
        assertThat(text(core.barrier().get("data/x"))).isEqualTo("1");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(java.util.Optional<byte[]> value) {
        return value.map(v -> new String(v, StandardCharsets.UTF_8)).orElse(null);
    }
}
