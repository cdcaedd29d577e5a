package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.logical.BackendFactory;
import dev.coffer.server.http.TestServer.Res;
import dev.coffer.storage.InmemBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Audit devices through the real HTTP API: what reaches the file, and fail-closed behaviour. */
class AuditHttpTest {
    private static final String SECRET = "correct-horse-battery-staple";
    @TempDir
    Path dir;
    @RegisterExtension
    final TestServerExtension fixture = TestServerExtension.uninitialized(4096);
    private Core core;
    private String root;

    @BeforeEach
    void devInitWithTestKvAtSecret() {
        core = fixture.server().core();
        root = core.devInit(null).rootToken();
        fixture.server().token(root);
        core.mounts().unmount(BackendFactory.Kind.SECRET, "secret/"); // dev mode mounted KV there
        core.mounts().mount(BackendFactory.Kind.SECRET, "secret/", "test-kv", "", Map.of(), Map.of());
    }

    private Res call(String method, String path, String body) {
        return fixture.server().call(method, path, body);
    }

    private Res enable(String path, Path file, String extraOptions) throws Exception {
        return call("PUT", "sys/audit/" + path, "{\"type\":\"file\",\"description\":\"d\",\"options\":{\"file_path\":\""
                + file + "\"" + extraOptions + "}}");
    }

    private static List<JsonNode> entries(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(TestServer.JSON.readTree(line));
        }
        return out;
    }

    @Test
    void aResponsesRequestIdIsTheIdTheAuditLogRecords() throws Exception {
        Path log = dir.resolve("ids.log");
        assertThat(enable("file", log, "").status()).isEqualTo(204);
        Res put = call("PUT", "secret/app", "{\"a\":\"b\"}");
        Res get = call("GET", "secret/app", null);
        Res get2 = call("GET", "secret/app", null);
        String id = get.body().get("request_id").asText();
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(get2.body().get("request_id").asText()).isNotEqualTo(id);
        List<JsonNode> reads = entries(log).stream().filter(n -> n.at("/request/path").asText().equals("secret/app")
                && n.at("/request/operation").asText().equals("read")).toList();
        assertThat(reads).extracting(n -> n.get("type").asText()).containsExactly("request", "response", "request",
                "response");
        assertThat(reads).extracting(n -> n.at("/request/id").asText()).containsExactly(id, id,
                get2.body().get("request_id").asText(), get2.body().get("request_id").asText());
        assertThat(put.status()).isEqualTo(204);
    }

    @Test
    void secretsAndTokensNeverReachTheLogInClear() throws Exception {
        Path log = dir.resolve("audit.log");
        assertThat(enable("file", log, "").status()).isEqualTo(204);
        assertThat(call("PUT", "secret/app", "{\"password\":\"" + SECRET + "\"}").status()).isEqualTo(204);
        assertThat(call("GET", "secret/app", null).body().at("/data/password").asText()).isEqualTo(SECRET);
        String text = Files.readString(log);
        assertThat(text).doesNotContain(SECRET).doesNotContain(root);
        List<JsonNode> e = entries(log);
        assertThat(e.get(0).at("/request/path").asText()).as("enabling is audited").isEqualTo("sys/audit/file");
        JsonNode write = e.stream().filter(n -> n.at("/request/path").asText().equals("secret/app")
                && n.get("type").asText().equals("request")).findFirst().orElseThrow();
        assertThat(write.at("/request/operation").asText()).isEqualTo("update");
        assertThat(write.at("/request/mount_type").asText()).isEqualTo("test-kv");
        String hash = call("PUT", "sys/audit-hash/file", "{\"input\":\"" + SECRET + "\"}").body().at("/data/hash").asText();
        assertThat(write.at("/request/data/password").asText()).isEqualTo(hash).startsWith("hmac-sha256:");
        String tokenHash = call("PUT", "sys/audit-hash/file", "{\"input\":\"" + root + "\"}").body().get("hash").asText();
        assertThat(write.at("/auth/client_token").asText()).isEqualTo(tokenHash);
    }

    @Test
    void deniedRequestsAreAuditedWithTheirError() throws Exception {
        Path log = dir.resolve("denied.log");
        enable("file", log, "");
        String limited = call("PUT", "auth/token/create", "{\"policies\":[\"default\"]}").body()
                .at("/auth/client_token").asText();
        assertThat(fixture.server().call("GET", "secret/app", null, limited).status()).isEqualTo(403);
        List<JsonNode> e = entries(log).stream().filter(n -> n.at("/request/path").asText().equals("secret/app")).toList();
        assertThat(e).extracting(n -> n.get("type").asText()).containsExactly("request", "response");
        assertThat(e.get(1).get("error").asText()).contains("permission denied");
        assertThat(Files.readString(log)).doesNotContain(limited);
    }

    @Test
    void logRawShowsTheSecret() throws Exception {
        Path log = dir.resolve("raw.log");
        enable("raw", log, ",\"log_raw\":\"true\"");
        call("PUT", "secret/app", "{\"password\":\"" + SECRET + "\"}");
        assertThat(Files.readString(log)).contains(SECRET, root);
    }

    @Test
    void listShowsDevicesAndDisableRemovesThem() throws Exception {
        enable("file", dir.resolve("a.log"), "");
        JsonNode data = call("GET", "sys/audit", null).body().get("data");
        assertThat(data.at("/file~1/type").asText()).isEqualTo("file");
        assertThat(data.at("/file~1/path").asText()).isEqualTo("file/");
        assertThat(data.at("/file~1/description").asText()).isEqualTo("d");
        assertThat(data.at("/file~1/local").asBoolean()).isFalse();
        assertThat(data.at("/file~1/options/file_path").asText()).isEqualTo(dir.resolve("a.log").toString());
        assertThat(call("DELETE", "sys/audit/file", null).status()).isEqualTo(204);
        assertThat(call("GET", "sys/audit", null).body().get("data").size()).isZero();
    }

    @Test
    void enablingAnUnwritableFileIs400WithAHint() throws Exception {
        Res r = enable("file", dir.resolve("no/such/dir/audit.log"), "");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().at("/errors/0").asText()).contains("directory exists");
        assertThat(call("PUT", "sys/audit/x", "{\"options\":{}}").status()).isEqualTo(400);
    }

    @Test
    void whenNoDeviceCanRecordTheRequestItIsRefusedAndNothingChanges() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        enable("file", logs.resolve("audit.log"), "");
        call("PUT", "secret/app", "{\"password\":\"old\"}");
        breakDirectory(logs);
        Res refused = call("PUT", "secret/app", "{\"password\":\"new\"}");
        assertThat(refused.status()).isEqualTo(500);
        assertThat(refused.body().at("/errors/0").asText()).contains("no enabled audit device could record the request");
        repairDirectory(logs);
        assertThat(call("GET", "secret/app", null).body().at("/data/password").asText()).isEqualTo("old");
    }

    @Test
    void oneWorkingDeviceKeepsRequestsFlowing() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        enable("broken", logs.resolve("audit.log"), "");
        Path good = dir.resolve("good.log");
        enable("good", good, "");
        breakDirectory(logs);
        assertThat(call("PUT", "secret/app", "{\"password\":\"new\"}").status()).isEqualTo(204);
        assertThat(Files.readString(good)).contains("secret/app");
    }

    @Test
    void theAuditTableSurvivesARestartOfTheCore() throws Exception {
        Path log = dir.resolve("a.log");
        InmemBackend storage = new InmemBackend();
        try (Core first = new Core(CoreOptions.of(storage, "inmem"))) {
            Core.DevInit init = first.devInit(null);
            first.auditBroker().enable(new dev.coffer.audit.AuditDeviceConfig("file", "file", null,
                    Map.of("file_path", log.toString()), false));
            first.seal();
            try (Core second = new Core(CoreOptions.of(storage, "inmem"))) {
                second.unseal(java.util.Base64.getEncoder().encodeToString(init.unsealKey()));
                assertThat(second.auditBroker().list()).extracting(c -> c.path()).containsExactly("file/");
            }
        }
    }

    /** Replaces the log directory with a regular file and reopens (as after logrotate): root cannot write there. */
    private void breakDirectory(Path logs) throws IOException {
        try (var files = Files.list(logs)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(logs);
        Files.writeString(logs, "not a directory");
        core.auditBroker().reopen();
    }

    private static void repairDirectory(Path logs) throws IOException {
        Files.delete(logs);
        Files.createDirectory(logs);
    }
}
