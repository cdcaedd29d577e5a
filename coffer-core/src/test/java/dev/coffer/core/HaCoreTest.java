package dev.coffer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coffer.CofferException;
import dev.coffer.logical.BackendFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two cores on one HA-capable store: one active, one standby, and every way leadership moves. */
class HaCoreTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final HaCores cluster = new HaCores(WAIT);

    private static void put(Core core, String path, String value) {
        core.barrier().put(path, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String get(Core core, String path) {
        return new String(core.barrier().get(path).orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void oneNodeIsActiveTheOtherStandbyAndKnowsTheLeader() {
        Core a = cluster.node("a");
        Core active = cluster.awaitActive(a);
        Core b = cluster.node("b");
        assertThat(active).isSameAs(a);
        await().atMost(WAIT).until(() -> b.haState().leader() != null);
        assertThat(b.standby()).isTrue();
        assertThat(b.haState().self()).isFalse();
        assertThat(b.haState().leaderApiAddr()).isEqualTo("http://a:8200");
        assertThat(b.haState().leaderClusterAddr()).isEqualTo("https://a:8201");
        assertThat(a.haState().activeSince()).isNotNull();
        assertThat(a.authenticate(cluster.rootToken()).isRoot()).isTrue();
        assertThatThrownBy(() -> b.authenticate(cluster.rootToken())).isInstanceOf(CofferException.class);
    }

    @Test
    void standbyRefusesRequestsWithTheActiveAddress() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        await().atMost(WAIT).until(() -> b.haState().leader() != null);
        var request = new dev.coffer.logical.LogicalRequest("1", dev.coffer.logical.Operation.READ, "sys/mounts", null,
                null, null, cluster.rootToken(), null, "127.0.0.1", Map.of());
        assertThatThrownBy(() -> b.handle(request)).isInstanceOf(CofferException.Standby.class)
                .hasMessageContaining("http://a:8200");
    }

    @Test
    void afterStepDownTheOtherNodeTakesOverAndSeesEverythingTheFirstWrote() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        a.policies().put("readers", "path \"secret/*\" { capabilities = [\"read\"] }");
        a.mounts().mount(BackendFactory.Kind.SECRET, "kv/", "kv", "test", Map.of(), Map.of("version", "2"));
        put(a, "test/value", "from a");

        a.stepDown();
        assertThat(cluster.awaitActive(b)).isSameAs(b);
        assertThat(a.standby()).isTrue();
        assertThat(b.policies().get("readers")).isPresent();
        assertThat(b.mounts().find(BackendFactory.Kind.SECRET, "kv/")).isPresent();
        assertThat(get(b, "test/value")).isEqualTo("from a");
        assertThat(b.authenticate(cluster.rootToken()).isRoot()).isTrue();
        await().atMost(WAIT).until(() -> a.haState().leaderApiAddr().equals("http://b:8200"));
    }

    @Test
    void aKeyringRotatedByTheFirstActiveIsReadableByTheNextAfterTakeover() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        // b re-reads the keyring before each heartbeat (every 2 s, the first at once): let the first one pass, so
        // the rotation below is not followed before the check
        await().atMost(WAIT).until(() -> a.haNodes().size() == 2);
        int term = a.barrier().rotate();
        put(a, "test/rotated", "new term");
        assertThatThrownBy(() -> get(b, "test/rotated")).as("the standby still has the old keyring")
                .hasMessageContaining("term " + term);

        a.seal();
        assertThat(cluster.awaitActive(b)).isSameAs(b);
        assertThat(get(b, "test/rotated")).isEqualTo("new term");
        assertThat(b.barrier().keyStatus().term()).isEqualTo(term);
    }

    @Test
    void aLostLeaseMakesTheHolderStandbyAndTheOtherActive() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        cluster.store().expireLease(true);
        await().atMost(WAIT).until(() -> b.haState().self() ^ a.haState().self());
        Core now = cluster.awaitActive(a, b);
        put(now, "test/after-loss", "ok");
        assertThat(get(now, "test/after-loss")).isEqualTo("ok");
    }

    @Test
    void aPausedHolderThatMissedItsLossCannotWrite() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        cluster.store().expireLease(false);
        Core b = cluster.node("b");
        cluster.awaitActive(b);
        assertThat(a.haState().self()).as("a never noticed (paused)").isTrue();
        assertThatThrownBy(() -> put(a, "test/stale", "lost write")).isInstanceOf(CofferException.StorageFailure.class);
        assertThat(cluster.store().data().get("test/stale")).isEmpty();
    }

    @Test
    void aStandbySeesTheActiveTenureEndWhenAnotherNodeTakesTheLock() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        await().atMost(WAIT).until(() -> b.haState().leader() != null);
        HaState seen = b.haState();
        assertThat(seen.leaderGeneration()).isPositive();
        CompletableFuture<Void> ended = b.tenureEnded(seen);
        b.refreshLeader();
        b.refreshLeader();
        assertThat(ended).as("re-reading the same tenure does not end it").isNotDone();
        assertThat(a.haState().leaderGeneration()).as("the active node's own view").isEqualTo(seen.leaderGeneration());

        cluster.store().takeOverBy("c", "{\"api_addr\":\"http://c:8200\",\"node_id\":\"c\"}");

        await().atMost(WAIT).until(ended::isDone);
        assertThat(b.standby()).isTrue();
        assertThat(b.haState().leaderApiAddr()).isEqualTo("http://c:8200");
        assertThat(b.haState().leaderGeneration()).isGreaterThan(seen.leaderGeneration());
        assertThat(b.tenureEnded(seen)).as("asked again later").isDone();
        assertThat(b.tenureEnded(b.haState())).as("the new tenure").isNotDone();
    }

    @Test
    void aStandbyThatTakesTheLockItselfEndsTheTenureItForwardedTo() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        await().atMost(WAIT).until(() -> b.haState().leader() != null);
        CompletableFuture<Void> ended = b.tenureEnded(b.haState());

        cluster.store().expireLease(false); // a is paused: its lease ran out and it did not notice

        assertThat(cluster.awaitActive(b)).isSameAs(b);
        assertThat(ended).isDone();
        assertThat(b.haState().leader().nodeId()).isEqualTo(b.nodeId());
    }

    @Test
    void sysHaNodesListsEveryUnsealedNode() {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        cluster.node("b");
        await().atMost(WAIT).until(() -> a.haNodes().size() == 2);
        assertThat(a.haNodes()).extracting(HaNodeInfo::apiAddr).containsExactlyInAnyOrder("http://a:8200", "http://b:8200");
    }

    @Test
    void withoutHaTheNodeIsActiveRightAfterUnseal() {
        Core core = new Core(CoreOptions.of(new dev.coffer.storage.InmemBackend(), "inmem"));
        cluster.closeAfterTest(core);
        InitResult r = core.init(new InitRequest(1, 1, 0, 0));
        core.unseal(Base64.getEncoder().encodeToString(r.keys().get(0)));
        assertThat(core.haEnabled()).isFalse();
        assertThat(core.standby()).isFalse();
        assertThat(core.haState().self()).isTrue();
        assertThatThrownBy(core::stepDown).isInstanceOf(CofferException.BadRequest.class);
    }
}
