package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.Core;
import dev.coffer.hcl.ConfigException;
import dev.coffer.server.config.ConfigLoader;
import dev.coffer.server.config.ServerConfig;
import dev.coffer.server.http.TestServer.Res;
import dev.coffer.snapshot.auto.SnapshotSchedule;
import dev.coffer.snapshot.auto.SnapshotScheduler;
import dev.coffer.snapshot.auto.SnapshotTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The HCL {@code snapshot} stanza and {@code sys/storage/snapshot-auto/*} over HTTP. */
class SnapshotAutoHttpTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TestServerExtension fixture = TestServerExtension.dev(1 << 20);
    private Core core;
    private SnapshotScheduler scheduler;

    static final String BASE = "storage \"inmem\" {}\nlistener \"tcp\" { tls_disable = true }\n";

    @BeforeEach
    void startScheduler() {
        ServerConfig config = ConfigLoader.parse("vault.hcl", BASE + "snapshot \"nightly\" {\n  interval = \"24h\"\n"
                + "  retain = 7\n  target \"local\" {\n    path = \"" + dir + "\"\n  }\n}\n");
        core = fixture.server().core();
        scheduler = new SnapshotScheduler(core, config.snapshots(), SnapshotTargets.discover(), Clock.systemUTC(), null);
        core.addActiveService(scheduler);
    }

    @AfterEach
    void stopScheduler() {
        scheduler.close();
    }

    private Res send(String method, String path, String body) {
        return fixture.server().call(method, path, body);
    }

    @Test
    void hclStanza_isParsed() {
        ServerConfig c = ConfigLoader.parse("vault.hcl", BASE + "snapshot \"s3daily\" {\n interval = \"6h\"\n retain = 3\n"
                + " target \"s3\" {\n  bucket = \"b\"\n  force_path_style = true\n }\n}\n");
        SnapshotSchedule s = c.snapshots().get(0);
        assertThat(s.name()).isEqualTo("s3daily");
        assertThat(s.interval()).isEqualTo(Duration.ofHours(6));
        assertThat(s.retain()).isEqualTo(3);
        assertThat(s.targetType()).isEqualTo("s3");
        assertThat(s.target()).containsEntry("bucket", "b").containsEntry("force_path_style", "true");
        assertThatThrownBy(() -> ConfigLoader.parse("vault.hcl", BASE + "snapshot \"x\" { retain = 3 }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("interval is required");
        assertThatThrownBy(() -> ConfigLoader.parse("vault.hcl", BASE + "snapshot \"x\" {\n interval = \"1h\"\n color = 1\n"
                + " target \"local\" { path = \"/b\" }\n}\n")).isInstanceOf(ConfigException.class).hasMessageContaining("unknown key");
    }

    @Test
    void crudListAndStatus_overHttp_withHclSchedulesReadOnly() throws Exception {
        assertThat(send("PUT", "sys/storage/snapshot-auto/config/hourly", "{\"interval\":\"1h\",\"retain\":2,"
                + "\"target\":{\"type\":\"local\",\"path\":\"" + dir + "\"}}").status()).isEqualTo(204);
        Res noS3 = send("PUT", "sys/storage/snapshot-auto/config/s3", "{\"interval\":\"1h\",\"target\":{\"type\":\"s3\",\"bucket\":\"b\"}}");
        assertThat(noS3.status()).as("s3 lives in coffer-snapshot-targets, not on this test's class path").isEqualTo(400);
        Res list = send("LIST", "sys/storage/snapshot-auto/config", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().path("data").path("keys").toString()).isEqualTo("[\"hourly\",\"nightly\"]");
        Res read = send("GET", "sys/storage/snapshot-auto/config/hourly", null);
        assertThat(read.body().path("data").path("interval").asLong()).isEqualTo(3600);
        assertThat(read.body().path("data").path("target").path("type").asText()).isEqualTo("local");
        assertThat(read.body().path("data").path("source").asText()).isEqualTo("api");
        assertThat(send("GET", "sys/storage/snapshot-auto/config/nightly", null).body().path("data").path("read_only").asBoolean()).isTrue();

        Res hcl = send("PUT", "sys/storage/snapshot-auto/config/nightly", "{\"interval\":\"1h\",\"target\":{\"type\":\"local\",\"path\":\"/x\"}}");
        assertThat(hcl.status()).isEqualTo(400);
        assertThat(hcl.body().toString()).contains("configuration file");
        assertThat(send("PUT", "sys/storage/snapshot-auto/config/bad", "{\"interval\":\"1h\",\"target\":{\"type\":\"local\"}}").status()).isEqualTo(400);

        scheduler.runNow(scheduler.schedule("nightly").orElseThrow());
        Res status = send("GET", "sys/storage/snapshot-auto/status/nightly", null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().path("data").path("last_success").isTextual()).isTrue();
        assertThat(status.body().path("data").path("last_error").isNull()).isTrue();
        assertThat(status.body().path("data").path("next_run").asText()).isNotEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).hasSize(1);
        }

        assertThat(send("DELETE", "sys/storage/snapshot-auto/config/hourly", null).status()).isEqualTo(204);
        assertThat(send("GET", "sys/storage/snapshot-auto/config/hourly", null).status()).isEqualTo(404);
        assertThat(send("GET", "sys/storage/snapshot-auto/status/hourly", null).status()).isEqualTo(404);
    }

    @Test
    void scheduleEndpoints_needSudo() throws Exception {
        Res policy = send("PUT", "sys/policies/acl/ops", "{\"policy\":\"path \\\"sys/storage/*\\\" { capabilities = [\\\"read\\\",\\\"list\\\"] }\"}");
        assertThat(policy.status()).isIn(200, 204);
        Res token = send("POST", "auth/token/create", "{\"policies\":[\"ops\"]}");
        String t = token.body().path("auth").path("client_token").asText();
        assertThat(fixture.server().call("GET", "sys/storage/snapshot-auto/status/nightly", null, t).status())
                .isEqualTo(403);
        assertThat(fixture.server()
                .call("PUT", "sys/storage/snapshot-auto/config/other", "{\"interval\":\"1h\"}", t).status())
                .isEqualTo(403);
    }
}
