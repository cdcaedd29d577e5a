package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * Seal migration through real server restarts on file storage, each with the configuration an operator would
 * write: shamir -> test-kms (key A) -> test-kms (key B) -> shamir, the same five keys throughout.
 */
class SealMigrationServerTest {
    private static final ObjectMapper M = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String keyA = "mig-a-" + UUID.randomUUID();
    private final String keyB = "mig-b-" + UUID.randomUUID();
    @TempDir
    Path dir;
    private CofferServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void restart(String seals) throws Exception {
        if (server != null) {
            server.close();
        }
        Path config = dir.resolve("coffer.hcl");
        Files.writeString(config, """
                storage "file" { path = "%s" }
                listener "tcp" {
                  address     = "127.0.0.1:0"
                  tls_disable = true
                }
                disable_mlock = true
                %s
                """.formatted(dir.resolve("data"), seals));
        server = CofferServer.start(new ServerOptions(List.of(config), false, null, null, "warn"),
                new PrintStream(new ByteArrayOutputStream()));
    }

    private static String seal(String key, boolean disabled) {
        return "seal \"test-kms\" {\n  key_name = \"" + key + "\"\n" + (disabled ? "  disabled = \"true\"\n" : "") + "}\n";
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-Vault-Token", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode status() throws Exception {
        return M.readTree(send("GET", "/v1/sys/seal-status", null, null).body());
    }

    private HttpResponse<String> unseal(String key, boolean migrate) throws Exception {
        return send("PUT", "/v1/sys/unseal", null, "{\"key\":\"" + key + "\"" + (migrate ? ",\"migrate\":true" : "") + "}");
    }

    private String secret(String token) throws Exception {
        return M.readTree(send("GET", "/v1/secret/app", token, null).body()).at("/data/password").asText();
    }

    @Test
    void shamirToKmsToOtherKmsToShamir() throws Exception {
        restart("");
        JsonNode init = M.readTree(send("PUT", "/v1/sys/init", null, "{\"secret_shares\":5,\"secret_threshold\":3}").body());
        List<String> keys = M.convertValue(init.get("keys"), M.getTypeFactory().constructCollectionType(List.class, String.class));
        String root = init.get("root_token").asText();
        for (int i = 0; i < 3; i++) {
            unseal(keys.get(i), false);
        }
        assertThat(send("POST", "/v1/sys/mounts/secret", root, "{\"type\":\"kv\"}").statusCode()).isLessThan(300);
        assertThat(send("PUT", "/v1/secret/app", root, "{\"password\":\"hunter2\"}").statusCode()).isLessThan(300);

        // shamir -> A
        restart(seal(keyA, false));
        JsonNode s = status();
        assertThat(s.get("sealed").asBoolean()).isTrue();
        assertThat(s.get("migration").asBoolean()).isTrue();
        HttpResponse<String> refused = unseal(keys.get(0), false);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("-migrate");
        for (int i = 0; i < 3; i++) {
            unseal(keys.get(i), true);
        }
        s = status();
        assertThat(s.get("sealed").asBoolean()).isFalse();
        assertThat(s.get("migration").asBoolean()).isFalse();
        assertThat(s.get("type").asText()).isEqualTo("test-kms");
        assertThat(s.get("recovery_seal").asBoolean()).isTrue();
        assertThat(secret(root)).isEqualTo("hunter2");

        // restart: auto-unseals; an operator seal needs the old unseal keys, now recovery keys
        restart(seal(keyA, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> !status().get("sealed").asBoolean());
        assertThat(send("PUT", "/v1/sys/seal", root, null).statusCode()).isLessThan(300);
        for (int i = 2; i < 5; i++) {
            unseal(keys.get(i), false);
        }
        assertThat(status().get("sealed").asBoolean()).isFalse();

        // the old seal's stanza missing: an explanation, not a silent failure
        restart("");
        s = status();
        assertThat(s.get("sealed").asBoolean()).isTrue();
        assertThat(s.get("auto_unseal_error").asText()).isEqualTo("storage was initialized with the test-kms seal; "
                + "add that seal stanza back, or mark it disabled = \"true\" to migrate to shamir");

        // A -> B
        restart(seal(keyA, true) + seal(keyB, false));
        assertThat(status().get("migration").asBoolean()).isTrue();
        for (int i = 1; i < 4; i++) {
            unseal(keys.get(i), true);
        }
        assertThat(status().get("sealed").asBoolean()).isFalse();
        restart(seal(keyB, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> !status().get("sealed").asBoolean());
        assertThat(secret(root)).isEqualTo("hunter2");

        // B -> shamir
        restart(seal(keyB, true));
        s = status();
        assertThat(s.get("migration").asBoolean()).isTrue();
        assertThat(s.get("t").asInt()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            unseal(keys.get(i), true);
        }
        s = status();
        assertThat(s.get("sealed").asBoolean()).isFalse();
        assertThat(s.get("type").asText()).isEqualTo("shamir");
        restart("");
        assertThat(status().get("sealed").asBoolean()).isTrue();
        for (int i = 2; i < 5; i++) {
            unseal(keys.get(i), false);
        }
        assertThat(status().get("sealed").asBoolean()).isFalse();
        assertThat(secret(root)).isEqualTo("hunter2");
    }
}
