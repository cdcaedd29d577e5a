package dev.coffer.seal.transit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.CofferServer;
import dev.coffer.server.ServerOptions;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seal "transit"} through the server wiring: init gives recovery keys, restarts unseal through the transit node. */
class TransitAutoUnsealServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private TransitNode transit;
    private CofferServer server;
    private String sealToken;

    @BeforeEach
    void startTransitNode() throws Exception {
        transit = new TransitNode();
        transit.createKey("autounseal");
        sealToken = transit.sealToken("autounseal", "1h", true);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        transit.close();
    }

    private CofferServer start() throws Exception {
        Path config = dir.resolve("coffer.hcl");
        Files.writeString(config, """
                storage "file" { path = "%s" }
                listener "tcp" {
                  address     = "127.0.0.1:0"
                  tls_disable = true
                }
                seal "transit" {
                  address    = "%s"
                  token      = "%s"
                  key_name   = "autounseal"
                  mount_path = "transit/"
                }
                disable_mlock = true
                """.formatted(dir.resolve("data"), transit.url(), sealToken));
        return CofferServer.start(new ServerOptions(List.of(config), false, null, null, "warn"),
                new PrintStream(new ByteArrayOutputStream()));
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        return TransitNode.M.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private boolean sealed() throws Exception {
        return call("GET", "/v1/sys/seal-status", null).get("sealed").asBoolean();
    }

    @Test
    void initGivesRecoveryKeysAndRestartsUnsealThroughTheTransitNode() throws Exception {
        server = start();
        JsonNode before = call("GET", "/v1/sys/seal-status", null);
        assertThat(before.get("type").asText()).isEqualTo("transit");
        assertThat(before.get("recovery_seal").asBoolean()).isTrue();
        JsonNode init = call("PUT", "/v1/sys/init", "{\"recovery_shares\":3,\"recovery_threshold\":2}");
        assertThat(init.get("keys")).isEmpty();
        assertThat(init.get("recovery_keys_base64")).hasSize(3);
        assertThat(sealed()).isFalse();

        server.close();
        server = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !sealed());
        JsonNode after = call("GET", "/v1/sys/seal-status", null);
        assertThat(after.get("type").asText()).isEqualTo("transit");
        assertThat(after.get("t").asInt()).isEqualTo(2);
        assertThat(after.get("n").asInt()).isEqualTo(3);
    }

    @Test
    void aSealedTransitNodeKeepsTheServerSealedUntilItIsBack() throws Exception {
        server = start();
        call("PUT", "/v1/sys/init", "{\"recovery_shares\":1,\"recovery_threshold\":1}");
        server.close();
        transit.seal();
        server = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> call("GET", "/v1/sys/seal-status", null)
                .path("auto_unseal_error").asText().contains("the transit node is sealed"));
        assertThat(sealed()).isTrue();
        transit.unseal();
        await().atMost(Duration.ofSeconds(10)).until(() -> !sealed());
    }
}
