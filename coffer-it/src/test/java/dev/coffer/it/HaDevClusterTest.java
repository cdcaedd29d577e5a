package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer server -dev-ha -dev-nodes=2}: the one-command HA demo starts a transit seal provider and two nodes
 * that unseal through it, reports the active node, survives its kill, and the killed node started again from its
 * configuration unseals itself (no key) and joins as a standby.
 */
@Timeout(420)
class HaDevClusterTest {
    private static final Pattern ACTIVE = Pattern.compile("active node: (http://\\S+)");

    @TempDir
    Path dir;

    private CofferProcess restarted;

    @Test
    void devHaStartsAClusterAndAStandbyTakesOverWhenTheActiveIsKilledAndTheKilledNodeUnsealsItselfAgain() {
        CofferProcess demo = CofferProcess.launch(dir, "n/a", List.of("server", "-dev-ha", "-dev-nodes=2"));
        restarted = null;
        try {
            await("an active node in the -dev-ha banner").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        assertThat(demo.isAlive()).as("-dev-ha exited: %s", demo.output()).isTrue();
                        return ACTIVE.matcher(demo.stdout()).find();
                    });
            String out = demo.stdout();
            String token = match(out, "Root Token:\\s+(\\S+)");
            String active = lastActive(out);
            long pid = Long.parseLong(match(out, Pattern.quote(active) + "\\s+pid (\\d+)"));
            assertThat(HaCluster.call(active, "PUT", "secret/data/demo", token, "{\"data\":{\"v\":\"1\"}}").status()).isEqualTo(200);

            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            await("a standby takes over").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !lastActive(demo.stdout()).equals(active));
            String next = lastActive(demo.stdout());
            System.out.println(demo.stdout());
            HaCluster.Reply read = HaCluster.call(next, "GET", "secret/data/demo", token, null);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body().path("data").path("data").path("v").asText()).isEqualTo("1");

            String provider = match(out, "seal provider:\\s+(http://\\S+)");
            assertThat(HaCluster.call(provider, "GET", "sys/seal-status", null, null).body().path("sealed").asBoolean())
                    .isFalse();
            String config = match(out, Pattern.quote(active) + "\\s+pid \\d+\\s+config (\\S+)");
            restarted = CofferProcess.launch(dir.resolve("restarted"), active, List.of("server", "-config=" + config));
            await("the restarted node unseals itself through the transit seal").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                        assertThat(restarted.isAlive()).as("restarted node exited: %s", restarted.output()).isTrue();
                        HaCluster.Reply status = HaCluster.call(active, "GET", "sys/seal-status", null, null);
                        return !status.body().path("sealed").asBoolean(true);
                    });
            assertThat(HaCluster.call(active, "GET", "sys/seal-status", null, null).body().path("type").asText())
                    .isEqualTo("transit");
            await("the restarted node is a standby of the new active node").atMost(Duration.ofSeconds(30))
                    .ignoreExceptions().until(() -> HaCluster.call(active, "GET", "sys/leader", null, null).body()
                            .path("leader_address").asText().equals(next));
            HaCluster.Reply viaRestarted = HaCluster.call(active, "GET", "secret/data/demo", token, null);
            assertThat(viaRestarted.status()).as("read forwarded by the restarted node: %s", viaRestarted.body()).isEqualTo(200);
        } finally {
            if (restarted != null) {
                restarted.close();
            }
            demo.stop(); // SIGTERM: its shutdown hook stops the nodes, the seal provider and PostgreSQL
        }
    }

    private static String lastActive(String out) {
        Matcher m = ACTIVE.matcher(out);
        String last = "";
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static String match(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertThat(m.find()).as("%s in %s", regex, out).isTrue();
        return m.group(1);
    }
}
