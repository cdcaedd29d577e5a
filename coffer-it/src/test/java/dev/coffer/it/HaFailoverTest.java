package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coffer.it.HaCluster.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real server processes on one real PostgreSQL with {@code ha_enabled}: one active, two standbys that
 * forward; kill -9, SIGSTOP/SIGCONT and step-down move leadership, and nothing acknowledged is lost.
 */
@Timeout(600)
class HaFailoverTest {
    @RegisterExtension
    static final PostgresHaCluster HA = new PostgresHaCluster();

    @TempDir
    Path dir;

    private String token;

    private List<CofferProcess> startUnsealedCluster() {
        PostgresHaCluster.Unsealed started = HA.startUnsealed(dir, 3);
        token = started.rootToken();
        return started.cluster().nodes;
    }

    private Reply write(CofferProcess node, String path, String value) {
        return HaCluster.call(node.address(), "PUT", "secret/data/" + path, token,
                "{\"data\":{\"v\":\"" + value + "\"}}");
    }

    private String read(CofferProcess node, String path) {
        Reply r = HaCluster.call(node.address(), "GET", "secret/data/" + path, token, null);
        assertThat(r.status()).as("read %s through %s: %s", path, node.address(), r.body()).isEqualTo(200);
        return r.body().path("data").path("data").path("v").asText();
    }

    @Test
    void oneActiveTwoStandbysThatForwardRedirectAndReportTheLeader() throws Exception {
        List<CofferProcess> nodes = startUnsealedCluster();
        CofferProcess active = HaCluster.awaitSingleActive(nodes, Duration.ofSeconds(30));
        CofferProcess standby = nodes.stream().filter(n -> n != active).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> HaCluster.call(standby.address(), "GET", "sys/leader", null,
                null).body().path("leader_address").asText().equals(active.address()));

        Reply mount = HaCluster.call(standby.address(), "POST", "sys/mounts/secret", token,
                "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
        assertThat(mount.status()).as("mount through a standby: %s", mount.body()).isEqualTo(204);
        assertThat(write(standby, "hello", "world").status()).isEqualTo(200);
        for (CofferProcess node : nodes) {
            assertThat(read(node, "hello")).isEqualTo("world");
        }

        assertThat(HaCluster.call(standby.address(), "GET", "sys/health", null, null).status()).isEqualTo(429);
        assertThat(HaCluster.call(standby.address(), "GET", "sys/health?standbyok=true", null, null).status()).isEqualTo(200);
        assertThat(HaCluster.call(active.address(), "GET", "sys/health", null, null).status()).isEqualTo(200);
        Reply redirect = HaCluster.call(standby.address(), "GET", "secret/data/hello?version=1", token, null,
                "X-Vault-No-Request-Forwarding", "true");
        assertThat(redirect.status()).isEqualTo(307);
        assertThat(redirect.headers().get("location")).containsExactly(active.address() + "/v1/secret/data/hello?version=1");

        Reply ha = HaCluster.call(standby.address(), "GET", "sys/ha-status", token, null);
        assertThat(ha.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> HaCluster.call(active.address(), "GET", "sys/ha-status", token,
                null).body().path("Nodes").size() == 3);

        Cli.Result status = new Cli(dir, standby.address()).run("status");
        assertThat(status.value("HA Enabled")).isEqualTo("true");
        assertThat(status.value("HA Mode")).isEqualTo("standby");
        assertThat(status.value("Active Node Address")).isEqualTo(active.address());
        assertThat(new Cli(dir, active.address()).run("status").value("HA Mode")).isEqualTo("active");

        // the active node's audit log names the client behind the standby, not the standby
        Path audit = dir.resolve("audit.log");
        assertThat(HaCluster.call(standby.address(), "PUT", "sys/audit/file", token, "{\"type\":\"file\",\"options\":"
                + "{\"file_path\":\"" + audit + "\"}}").status()).isEqualTo(204);
        try (java.net.http.HttpClient from2 = java.net.http.HttpClient.newBuilder()
                .localAddress(java.net.InetAddress.getByName("127.0.0.2")).build()) {
            var r = from2.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(standby.address()
                    + "/v1/secret/data/from-elsewhere")).header("X-Vault-Token", token).PUT(java.net.http.HttpRequest
                    .BodyPublishers.ofString("{\"data\":{\"v\":\"x\"}}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.exists(audit) && java.nio.file.Files
                .readString(audit).contains("secret/data/from-elsewhere"));
        String entry = java.nio.file.Files.readAllLines(audit).stream().filter(l -> l.contains("secret/data/from-elsewhere"))
                .findFirst().orElseThrow();
        assertThat(entry).contains("\"remote_address\":\"127.0.0.2\"").contains("\"x-forwarded-for\":[\"127.0.0.2\"]");
    }

    @Test
    void killNineOfTheActiveFailsOverAndKeepsEveryAcknowledgedWrite() {
        List<CofferProcess> nodes = startUnsealedCluster();
        CofferProcess active = HaCluster.awaitSingleActive(nodes, Duration.ofSeconds(30));
        HaCluster.call(active.address(), "POST", "sys/mounts/secret", token, "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
        assertThat(write(active, "before", "crash").status()).isEqualTo(200);
        List<CofferProcess> survivors = nodes.stream().filter(n -> n != active).toList();

        long start = System.nanoTime();
        active.kill();
        long[] failoverMillis = new long[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            if (write(survivors.get(0), "after", "crash").status() != 200) {
                return false;
            }
            failoverMillis[0] = (System.nanoTime() - start) / 1_000_000;
            return true;
        });
        System.out.println("HA failover (kill -9 of the active -> first acknowledged write through a standby): "
                + failoverMillis[0] + " ms");
        survivors.forEach(n -> n.output().lines().filter(l -> l.contains("HA lock") || l.contains("active node"))
                .forEach(l -> System.out.println("[" + n.address() + "] " + l)));
        System.out.println("killed at epoch ms " + (System.currentTimeMillis() - (System.nanoTime() - start) / 1_000_000));
        assertThat(failoverMillis[0]).as("failover time in ms").isLessThan(10_000);
        CofferProcess next = HaCluster.awaitSingleActive(survivors, Duration.ofSeconds(10));
        for (CofferProcess node : survivors) {
            assertThat(read(node, "before")).isEqualTo("crash");
            assertThat(read(node, "after")).isEqualTo("crash");
        }
        assertThat(next).isIn(survivors);
    }

    @Test
    void aPausedActiveIsFencedOutStepsDownAndStepDownMovesLeadership() throws Exception {
        List<CofferProcess> nodes = startUnsealedCluster();
        CofferProcess paused = HaCluster.awaitSingleActive(nodes, Duration.ofSeconds(30));
        HaCluster.call(paused.address(), "POST", "sys/mounts/secret", token, "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
        List<CofferProcess> others = nodes.stream().filter(n -> n != paused).toList();

        HaCluster.signal(paused, "STOP");
        CofferProcess next;
        try {
            next = HaCluster.awaitSingleActive(others, Duration.ofSeconds(20));
            assertThat(write(next, "during-pause", "ok").status()).isEqualTo(200);
        } finally {
            HaCluster.signal(paused, "CONT");
        }
        // whatever the woken node does first (notice the loss, or try the write), the write must not land
        Reply stale = write(paused, "from-paused", "must-not-exist");
        System.out.println("write sent to the paused node right after SIGCONT: HTTP " + stale.status());
        await().atMost(Duration.ofSeconds(10)).until(() -> !HaCluster.isActive(paused));
        Reply lookup = HaCluster.call(next.address(), "GET", "secret/data/from-paused", token, null);
        if (stale.status() != 200) {
            assertThat(lookup.status()).as("a refused write left nothing behind").isEqualTo(404);
        }
        assertThat(read(paused, "during-pause")).as("the woken node forwards to the new active").isEqualTo("ok");

        Cli.Result stepDown = new Cli(dir, paused.address()).withToken(token).run("operator", "step-down");
        assertThat(stepDown.exitCode()).as("%s", stepDown).isZero();
        CofferProcess after = HaCluster.awaitSingleActive(nodes, Duration.ofSeconds(20));
        assertThat(after).isNotSameAs(next);
    }
}
