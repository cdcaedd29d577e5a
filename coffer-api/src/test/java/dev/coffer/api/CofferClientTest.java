package dev.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CofferClientTest {
    private HttpServer server;
    private final Map<String, Function<HttpExchange, String[]>> routes = new ConcurrentHashMap<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private CofferClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        client = CofferClient.create(ClientConfig.defaults()
                .withAddress("http://127.0.0.1:" + server.getAddress().getPort()).withToken("s.tok").withMaxRetries(2));
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    /** Route answers are {status, body}. */
    private void route(String methodAndPath, int status, String body) {
        routes.put(methodAndPath, exchange -> new String[] {String.valueOf(status), body});
    }

    private void handle(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(key + " token=" + exchange.getRequestHeaders().getFirst("X-Vault-Token") + " " + requestBody);
        String[] answer = routes.getOrDefault(key, e -> new String[] {"404", "{\"errors\":[]}"}).apply(exchange);
        byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(Integer.parseInt(answer[0]), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void unseal_sendsKeyAndTokenAndParsesSealStatus() {
        route("PUT /v1/sys/unseal", 200, "{\"type\":\"shamir\",\"initialized\":true,\"sealed\":true,\"t\":3,\"n\":5,"
                + "\"progress\":1,\"nonce\":\"abc\",\"build_date\":\"2025-01-01\",\"unknown_field\":1}");

        SealStatus status = client.unseal("key-share-1");

        assertThat(status.sealed()).isTrue();
        assertThat(status.progress()).isEqualTo(1);
        assertThat(status.buildDate()).isEqualTo("2025-01-01");
        assertThat(seen).containsExactly("PUT /v1/sys/unseal token=s.tok {\"key\":\"key-share-1\"}");
    }

    @Test
    void errorAnswer_becomesApiExceptionWithVaultStyleMessage() {
        route("PUT /v1/sys/unseal", 400, "{\"errors\":[\"invalid key\"]}");

        assertThatThrownBy(() -> client.unseal("bad"))
                .isInstanceOfSatisfying(CofferApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).containsExactly("invalid key");
                    assertThat(e.getMessage()).isEqualTo("Error making API request.\n\nURL: PUT http://127.0.0.1:"
                            + server.getAddress().getPort() + "/v1/sys/unseal\nCode: 400. Errors:\n\n* invalid key");
                });
    }

    @Test
    void retryableStatus_isRetriedUntilSuccess() {
        AtomicInteger calls = new AtomicInteger();
        routes.put("GET /v1/sys/key-status", e -> calls.incrementAndGet() < 3
                ? new String[] {"502", "{\"errors\":[\"bad gateway\"]}"}
                : new String[] {"200", "{\"term\":2,\"install_time\":\"t\",\"encryptions\":7}"});

        assertThat(client.keyStatus()).isEqualTo(new KeyStatus(2, "t", 7));
        assertThat(calls).hasValue(3);
    }

    @Test
    void serverErrorOnUnseal_isNotResent_soTheShareIsNotCountedTwice() {
        route("PUT /v1/sys/unseal", 500, "{\"errors\":[\"the root key does not decrypt the keyring\"]}");

        assertThatThrownBy(() -> client.unseal("a2V5")).isInstanceOf(CofferApiException.class)
                .hasMessageContaining("does not decrypt the keyring");
        assertThat(seen).hasSize(1);
    }

    @Test
    void notProcessedAnswerOnPut_isRetried() {
        AtomicInteger calls = new AtomicInteger();
        routes.put("PUT /v1/sys/rotate", e -> calls.incrementAndGet() < 2
                ? new String[] {"412", "{\"errors\":[\"not yet\"]}"}
                : new String[] {"204", ""});

        client.rotate();

        assertThat(calls).hasValue(2);
    }

    @Test
    void clientErrors_areNotRetried() {
        route("PUT /v1/sys/seal", 403, "{\"errors\":[\"permission denied\"]}");

        assertThatThrownBy(client::seal).isInstanceOf(CofferApiException.class);
        assertThat(seen).hasSize(1);
    }

    @Test
    void health_returnsSealedAnswerInsteadOfThrowing() {
        route("GET /v1/sys/health", 503, "{\"initialized\":true,\"sealed\":true,\"standby\":true}");

        Health health = client.health();

        assertThat(health.httpStatus()).isEqualTo(503);
        assertThat(health.sealed()).isTrue();
    }

    @Test
    void read_missingPathIsEmpty_listUsesListVerb() {
        route("LIST /v1/secret/metadata/", 200, "{\"data\":{\"keys\":[\"a\"]}}");

        assertThat(client.read("secret/data/none")).isEmpty();
        assertThat(client.list("secret/metadata/").orElseThrow().path("data").path("keys").get(0).asText())
                .isEqualTo("a");
    }

    @Test
    void raw_returnsAnyStatus() {
        route("POST /v1/sys/step-down", 204, "");

        ApiResponse response = client.raw("POST", "/v1/sys/step-down", null);

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isNull();
    }

    @Test
    void refusedConnection_namesAddressAndWhatToCheck() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (CofferClient offline = CofferClient.create(ClientConfig.defaults()
                .withAddress("http://127.0.0.1:" + port).withMaxRetries(0))) {
            assertThatThrownBy(offline::sealStatus)
                    .isInstanceOf(CofferConnectionException.class)
                    .hasMessageContaining("http://127.0.0.1:" + port)
                    .hasMessageContaining("VAULT_ADDR")
                    .hasMessageContaining("http or https");
        }
    }
}
