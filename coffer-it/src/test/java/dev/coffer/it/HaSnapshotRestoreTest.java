package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.it.HaCluster.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot save and restore on a real HA cluster: three server processes on one embedded PostgreSQL. A restore
 * sent to the active node, and one sent to a standby (which forwards it), are seen through every node; the keyring
 * and mounts are those of the snapshot; standbys keep writing heartbeats the active node can read; and after a
 * kill -9 of the active node its successor serves the restored data.
 */
@Timeout(600)
class HaSnapshotRestoreTest {
    @RegisterExtension
    static final PostgresHaCluster HA = new PostgresHaCluster();

    @TempDir
    Path dir;

    private HaCluster cluster;
    private String token;

    @Test
    void restoresThroughTheActiveNodeAndThroughAStandby_areSeenByEveryNode_andSurviveAFailover() throws Exception {
        PostgresHaCluster.Unsealed started = HA.startUnsealed(dir, 3);
        cluster = started.cluster();
        token = started.rootToken();
        CofferProcess active = HaCluster.awaitSingleActive(cluster.nodes, Duration.ofSeconds(30));
        CofferProcess standby = cluster.nodes.stream().filter(n -> n != active).findFirst().orElseThrow();

        ok(call(standby, "POST", "sys/mounts/secret", "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}"));
        ok(write(standby, "app", "at-snapshot"));
        // saved through a standby: the archive is streamed from the active node
        Path snap = dir.resolve("ha.snap");
        assertThat(save(standby, snap)).isEqualTo(200);
        int termAtSnapshot = term(active);

        ok(write(active, "app", "after-snapshot"));
        ok(write(active, "later", "x"));
        ok(call(active, "POST", "sys/mounts/late", "{\"type\":\"kv\"}"));
        ok(call(active, "POST", "sys/rotate", null));
        assertThat(term(standby)).isEqualTo(termAtSnapshot + 1);
        awaitHaStatusListsEveryNode(active);

        // 1: restore through the active node, which stays active
        assertThat(restore(active, snap)).isEqualTo(204);
        assertThat(HaCluster.isActive(active)).isTrue();
        assertEveryNodeServesTheSnapshot(termAtSnapshot);
        // the active node rotates again: the new term's key differs from the one the standbys held before
        ok(call(active, "POST", "sys/rotate", null));
        awaitHaStatusListsEveryNode(active);
        ok(write(standby, "app", "after-first-restore"));
        ok(call(standby, "POST", "sys/mounts/late", "{\"type\":\"kv\"}"));

        // 2: restore sent to a standby, which forwards the upload to the active node
        assertThat(restore(standby, snap)).isEqualTo(204);
        assertEveryNodeServesTheSnapshot(termAtSnapshot);
        awaitHaStatusListsEveryNode(active);

        // failover: the successor reads the restored data and keyring from storage
        HaCluster.signal(active, "KILL");
        CofferProcess successor = HaCluster.awaitSingleActive(cluster.alive(), Duration.ofSeconds(30));
        for (CofferProcess node : cluster.alive()) {
            assertThat(read(node, "app")).isEqualTo("at-snapshot");
            assertThat(call(node, "GET", "secret/data/later", null).status()).isEqualTo(404);
            assertThat(term(node)).isEqualTo(termAtSnapshot);
        }
        ok(write(successor, "afterFailover", "ok"));
        for (CofferProcess node : cluster.alive()) {
            assertThat(read(node, "afterFailover")).isEqualTo("ok");
        }
    }

    private void assertEveryNodeServesTheSnapshot(int termAtSnapshot) {
        for (CofferProcess node : cluster.nodes) {
            assertThat(read(node, "app")).as("through %s", node.address()).isEqualTo("at-snapshot");
            assertThat(call(node, "GET", "secret/data/later", null).status()).as("through %s", node.address())
                    .isEqualTo(404);
            JsonNode mounts = ok(call(node, "GET", "sys/mounts", null)).body();
            assertThat(mounts.path("data").has("secret/")).isTrue();
            assertThat(mounts.path("data").has("late/")).as("mount enabled after the snapshot").isFalse();
            assertThat(term(node)).as("keyring term through %s", node.address()).isEqualTo(termAtSnapshot);
        }
        for (CofferProcess node : cluster.nodes) {
            ok(write(node, "written-through-" + port(node), "ok"));
        }
        for (CofferProcess node : cluster.nodes) {
            for (CofferProcess writer : cluster.nodes) {
                assertThat(read(node, "written-through-" + port(writer))).isEqualTo("ok");
            }
        }
    }

    /** Every node's heartbeat is readable by the active node (a standby on a stale keyring would break this). */
    private void awaitHaStatusListsEveryNode(CofferProcess active) {
        await("sys/ha-status lists all three nodes").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Reply r = call(active, "GET", "sys/ha-status", null);
                    return r.status() == 200 && r.body().path("data").path("Nodes").size() == 3;
                });
    }

    private Reply call(CofferProcess node, String method, String path, String body) {
        return HaCluster.call(node.address(), method, path, token, body);
    }

    private Reply write(CofferProcess node, String name, String value) {
        return call(node, "PUT", "secret/data/" + name, "{\"data\":{\"v\":\"" + value + "\"}}");
    }

    private String read(CofferProcess node, String name) {
        Reply r = ok(call(node, "GET", "secret/data/" + name, null));
        return r.body().path("data").path("data").path("v").asText();
    }

    private int term(CofferProcess node) {
        return ok(call(node, "GET", "sys/key-status", null)).body().path("data").path("term").asInt();
    }

    private int save(CofferProcess node, Path file) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.address() + "/v1/sys/storage/raft/snapshot"))
                .header("X-Vault-Token", token).timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<Path> r = HaCluster.HTTP.send(request, HttpResponse.BodyHandlers.ofFile(file));
        return r.statusCode();
    }

    private int restore(CofferProcess node, Path file) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.address() + "/v1/sys/storage/raft/snapshot"))
                .header("X-Vault-Token", token).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<String> r = HaCluster.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("restore through %s: %s", node.address(), r.body()).isLessThan(300);
        return r.statusCode();
    }

    private static String port(CofferProcess node) {
        return node.address().substring(node.address().lastIndexOf(':') + 1);
    }

    private static Reply ok(Reply r) {
        assertThat(r.status()).as("%s", r.body()).isBetween(200, 299);
        return r;
    }
}
