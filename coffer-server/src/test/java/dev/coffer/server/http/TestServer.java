package dev.coffer.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.server.Listener;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.storage.InmemBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A core on in-memory storage behind a real plain-HTTP listener on a free port, and a client for it: the shared
 * fixture of the HTTP tests. Paths starting with {@code /} are sent as they are, others below {@code /v1/}.
 */
final class TestServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Core core;
    private final Listener listener;
    private String token;

    /** A response: the status, the body parsed when it is JSON (else null), the raw bytes and the content type. */
    record Res(int status, JsonNode body, byte[] bytes, String contentType) {
        String raw() {
            return new String(bytes, UTF_8);
        }

        /** The {@code errors} array as JSON text ("" when the body has none). */
        String errors() {
            return body == null ? "" : body.path("errors").toString();
        }
    }

    /** What {@link #initAndUnseal()} got back: the unseal keys (hex) and the root token. */
    record Initialized(List<String> keys, String rootToken) {
    }

    private TestServer(Core core, long maxRequestBytes) {
        this.core = core;
        this.listener = Listener.start(new ListenerConfig("tcp", "127.0.0.1:0", null, true, null, null, "tls12", null,
                maxRequestBytes, Duration.ofSeconds(90)), core, "http://127.0.0.1:8200", null);
    }

    /** An uninitialized server. */
    static TestServer start(long maxRequestBytes) {
        return start(new Core(CoreOptions.of(new InmemBackend(), "inmem")), maxRequestBytes);
    }

    /** A listener in front of a core the test has prepared. */
    static TestServer start(Core core, long maxRequestBytes) {
        return new TestServer(core, maxRequestBytes);
    }

    /** A dev-mode server (initialized, unsealed, KV v2 at {@code secret/}) whose calls carry the root token "root". */
    static TestServer dev(long maxRequestBytes) {
        Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        core.devInit("root");
        return start(core, maxRequestBytes).token("root");
    }

    /** Sets the token later calls send (null: none). */
    TestServer token(String newToken) {
        this.token = newToken;
        return this;
    }

    /**
     * Initializes an uninitialized server over the API with 3 key shares and a threshold of 2, then unseals it with
     * the first key in hex and the third in base64, asserting that init answers 200 and the server ends unsealed.
     */
    Initialized initAndUnseal() {
        Res init = call("PUT", "/v1/sys/init", "{\"secret_shares\":3,\"secret_threshold\":2}", null);
        assertThat(init.status()).isEqualTo(200);
        call("PUT", "/v1/sys/unseal", "{\"key\":\"" + init.body().get("keys").get(0).asText() + "\"}", null);
        String thirdKey = init.body().get("keys_base64").get(2).asText();
        Res u = call("PUT", "/v1/sys/unseal", "{\"key\":\"" + thirdKey + "\"}", null);
        assertThat(u.body().get("sealed").asBoolean()).isFalse();
        List<String> keys = new ArrayList<>();
        init.body().get("keys").forEach(k -> keys.add(k.asText()));
        return new Initialized(List.copyOf(keys), init.body().get("root_token").asText());
    }

    Core core() {
        return core;
    }

    String url() {
        return listener.url();
    }

    HttpClient http() {
        return http;
    }

    Res call(String method, String path, String body) {
        return call(method, path, body, token);
    }

    /** Sends a request with the given token (null: no token header). PATCH bodies are JSON merge patches. */
    Res call(String method, String path, String body, String withToken) {
        return send(method, path, body == null ? null : body.getBytes(UTF_8), withToken);
    }

    Res send(String method, String path, byte[] body) {
        return send(method, path, body, token);
    }

    private Res send(String method, String path, byte[] body, String withToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (withToken != null) {
            request.header("X-Vault-Token", withToken);
        }
        if (method.equals("PATCH")) {
            request.header("Content-Type", "application/merge-patch+json");
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = response.headers().firstValue("Content-Type").orElse("");
            byte[] bytes = response.body();
            JsonNode json = bytes.length > 0 && (bytes[0] == '{' || bytes[0] == '[') ? JSON.readTree(bytes) : null;
            return new Res(response.statusCode(), json, bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    URI uri(String path) {
        return URI.create(listener.url() + (path.startsWith("/") ? path : "/v1/" + path));
    }

    @Override
    public void close() {
        listener.close();
        core.close();
    }
}
