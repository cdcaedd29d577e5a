package dev.coffer.seal.transit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.logical.BackendFactory;
import dev.coffer.server.Listener;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.storage.InmemBackend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/** A real second Coffer node, in-process: in-memory storage, unsealed, transit mounted, plain HTTP on loopback. */
final class TransitNode implements AutoCloseable {
    static final ObjectMapper M = new ObjectMapper();
    /** The policy the seal's token needs (docs/seals/transit.md), for key {@code %s}. */
    static final String SEAL_POLICY = """
            path "transit/encrypt/%1$s" {
              capabilities = ["update"]
            }
            path "transit/decrypt/%1$s" {
              capabilities = ["update"]
            }
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    final Core core;
    final String rootToken;
    private final byte[] unsealKey;
    private Listener listener;
    private final String url;

    record Res(int status, JsonNode body) {
    }

    TransitNode() {
        core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        Core.DevInit dev = core.devInit("root-" + UUID.randomUUID());
        rootToken = dev.rootToken();
        unsealKey = dev.unsealKey();
        core.mounts().mount(BackendFactory.Kind.SECRET, "transit/", "transit", "", Map.of(), Map.of());
        listener = Listener.start(new ListenerConfig("tcp", "127.0.0.1:0", null, true, null, null, "tls12", null,
                1 << 20, Duration.ofSeconds(90)), core, "http://127.0.0.1:8200", null);
        url = listener.url();
    }

    String url() {
        return url;
    }

    Res call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + "/v1/" + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-Vault-Token", token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Res(r.statusCode(), r.body().isEmpty() ? null : M.readTree(r.body()));
    }

    Res root(String method, String path, String body) throws Exception {
        Res r = call(method, path, body, rootToken);
        if (r.status() >= 300) {
            throw new AssertionError(method + " " + path + " -> " + r.status() + " " + r.body());
        }
        return r;
    }

    void createKey(String name) throws Exception {
        root("POST", "transit/keys/" + name, "{}");
    }

    void rotate(String name) throws Exception {
        root("POST", "transit/keys/" + name + "/rotate", "{}");
    }

    /** A token holding only the seal policy for {@code key}. */
    String sealToken(String key, String ttl, boolean renewable) throws Exception {
        String policy = "transit-seal-" + key;
        root("PUT", "sys/policies/acl/" + policy, M.createObjectNode().put("policy", SEAL_POLICY.formatted(key)).toString());
        return token("{\"policies\":[\"" + policy + "\"],\"ttl\":\"" + ttl + "\",\"renewable\":" + renewable + "}");
    }

    String token(String request) throws Exception {
        return root("POST", "auth/token/create", request).body().at("/auth/client_token").asText();
    }

    JsonNode lookup(String token) throws Exception {
        return root("POST", "auth/token/lookup", M.createObjectNode().put("token", token).toString()).body().get("data");
    }

    void seal() {
        core.seal();
    }

    void unseal() {
        core.unseal(Base64.getEncoder().encodeToString(unsealKey));
    }

    /** Stops answering: the port refuses connections afterwards. */
    void stopListener() {
        if (listener != null) {
            listener.close();
            listener = null;
        }
    }

    @Override
    public void close() {
        stopListener();
        core.close();
    }
}
