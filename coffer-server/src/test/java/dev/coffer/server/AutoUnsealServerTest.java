package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.seal.SealException;
import dev.coffer.seal.TestKms;
import dev.coffer.seal.TestKmsFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server with a seal stanza initializes with recovery keys and unseals itself after every restart. */
class AutoUnsealServerTest {
    private static final ObjectMapper M = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String keyName = "key-" + UUID.randomUUID();
    @TempDir
    Path dir;
    private CofferServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private CofferServer start() throws Exception {
        Path config = dir.resolve("coffer.hcl");
        Files.writeString(config, """
                storage "file" { path = "%s" }
                listener "tcp" {
                  address     = "127.0.0.1:0"
                  tls_disable = true
                }
                seal "test-kms" { key_name = "%s" }
                disable_mlock = true
                """.formatted(dir.resolve("data"), keyName));
        return CofferServer.start(new ServerOptions(List.of(config), false, null, null, "warn"),
                new PrintStream(new ByteArrayOutputStream()));
    }

    private JsonNode get(String path) throws Exception {
        return M.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private JsonNode put(String path, String body) throws Exception {
        return M.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void initGivesRecoveryKeysAndRestartsUnsealThemselves() throws Exception {
        server = start();
        JsonNode before = get("/v1/sys/seal-status");
        assertThat(before.get("type").asText()).isEqualTo("test-kms");
        assertThat(before.get("recovery_seal").asBoolean()).isTrue();
        JsonNode init = put("/v1/sys/init", "{\"recovery_shares\":3,\"recovery_threshold\":2}");
        assertThat(init.get("keys")).isEmpty();
        assertThat(init.get("recovery_keys_base64")).hasSize(3);
        assertThat(get("/v1/sys/seal-status").get("sealed").asBoolean()).isFalse();

        server.close();
        server = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !get("/v1/sys/seal-status").get("sealed").asBoolean());
        JsonNode after = get("/v1/sys/seal-status");
        assertThat(after.get("t").asInt()).isEqualTo(2);
        assertThat(after.get("n").asInt()).isEqualTo(3);
    }

    @Test
    void aKmsOutageWhileUnsealedOnlyMakesTheSealUnhealthy() throws Exception {
        server = start();
        String root = put("/v1/sys/init", "{\"recovery_shares\":1,\"recovery_threshold\":1}").get("root_token").asText();
        TestKms kms = TestKmsFactory.kms(keyName);
        kms.failWith(SealException.Reason.THROTTLED);
        server.core().sealHealth().orElseThrow().check();
        JsonNode status = getWithToken("/v1/sys/seal-backend-status", root);
        assertThat(status.get("healthy").asBoolean()).isFalse();
        assertThat(status.at("/backends/0/last_error").asText()).contains("THROTTLED");
        assertThat(get("/v1/sys/seal-status").get("sealed").asBoolean()).as("an outage never seals").isFalse();
        assertThat(metricsText(root)).contains("coffer_seal_healthy{seal=\"test-kms\"} 0", "coffer_core_unsealed{seal=\"test-kms\"} 1");
        kms.heal();
        server.core().sealHealth().orElseThrow().check();
        assertThat(getWithToken("/v1/sys/seal-backend-status", root).get("healthy").asBoolean()).isTrue();
        assertThat(metricsText(root)).contains("coffer_seal_healthy{seal=\"test-kms\"} 1");
    }

    @Test
    void rewrapMovesTheStoredKeysToTheNewKmsKeyVersion() throws Exception {
        server = start();
        String root = put("/v1/sys/init", "{\"recovery_shares\":1,\"recovery_threshold\":1}").get("root_token").asText();
        String v2 = TestKmsFactory.kms(keyName).rotate();
        JsonNode r = M.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/sys/sealwrap/rewrap"))
                .header("X-Vault-Token", root).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(r.at("/data/rewrapped").asBoolean()).isTrue();
        assertThat(r.at("/data/key_id").asText()).isEqualTo(v2);
        TestKmsFactory.kms(keyName).disable("v1");
        server.close();
        server = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !get("/v1/sys/seal-status").get("sealed").asBoolean());
    }

    @Test
    void recoveryKeysAreRekeyedThroughTheirOwnEndpoints() throws Exception {
        server = start();
        JsonNode init = put("/v1/sys/init", "{\"recovery_shares\":3,\"recovery_threshold\":2}");
        JsonNode refused = put("/v1/sys/rekey/init", "{\"secret_shares\":3,\"secret_threshold\":2}");
        assertThat(refused.get("errors").get(0).asText()).contains("rekey-recovery-key");
        String nonce = put("/v1/sys/rekey-recovery-key/init", "{\"secret_shares\":2,\"secret_threshold\":2}")
                .get("nonce").asText();
        put("/v1/sys/rekey-recovery-key/update", "{\"key\":\"" + init.get("recovery_keys_base64").get(0).asText()
                + "\",\"nonce\":\"" + nonce + "\"}");
        JsonNode done = put("/v1/sys/rekey-recovery-key/update", "{\"key\":\"" + init.get("recovery_keys").get(2).asText()
                + "\",\"nonce\":\"" + nonce + "\"}");
        assertThat(done.get("complete").asBoolean()).isTrue();
        assertThat(done.get("keys_base64")).hasSize(2);
        assertThat(get("/v1/sys/seal-status").get("n").asInt()).isEqualTo(2);
    }

    private String metricsText(String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/sys/metrics?format=prometheus"))
                .header("X-Vault-Token", token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        return r.body();
    }

    private JsonNode getWithToken(String path, String token) throws Exception {
        return M.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("X-Vault-Token", token)
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aKmsOutageAtStartupIsReportedAndTheNodeUnsealsWhenTheKmsReturns() throws Exception {
        server = start();
        put("/v1/sys/init", "{\"recovery_shares\":1,\"recovery_threshold\":1}");
        server.close();
        TestKms kms = TestKmsFactory.kms(keyName);
        kms.failWith(SealException.Reason.UNREACHABLE);
        server = start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/v1/sys/seal-status").path("auto_unseal_error").asText().contains("UNREACHABLE"));
        assertThat(get("/v1/sys/seal-status").get("sealed").asBoolean()).isTrue();
        kms.heal();
        await().atMost(Duration.ofSeconds(10)).until(() -> !get("/v1/sys/seal-status").get("sealed").asBoolean());
        assertThat(get("/v1/sys/seal-status").has("auto_unseal_error")).isFalse();
    }
}
