package dev.coffer.seal.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A wire-faithful HTTPS fake of the parts of Azure Key Vault (keys REST API) and Entra ID that the seal uses,
 * served at {@code https://coffer-seal.localhost:{port}/}. Requests without a valid bearer token get the
 * service's 401 challenge, whose resource ({@code https://localhost}) is a parent domain of the vault host,
 * exactly the relation the SDK verifies for {@code vault.azure.net}. Switches simulate the operator's failures.
 */
final class FakeKeyVault implements AutoCloseable {

    static final String KEY_NAME = "VaultUnsealKey";
    static final String RESOURCE = "https://localhost";

    final FakeEntraId entra = new FakeEntraId();
    final FakeKeyStore keys = new FakeKeyStore();
    /** Key Vault permission names (get, wrapKey, unwrapKey) the caller is currently denied. */
    final Set<String> denied = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    volatile boolean throttled;
    /** Every request served, in order: what a benchmark needs to time the KMS share of a startup. */
    final List<Served> served = new CopyOnWriteArrayList<>();
    private final TestTls tls;
    private final int port;
    private HttpsServer server;

    /** One request: the first path segment(s) naming the endpoint, and when it arrived and was answered (epoch ms). */
    record Served(String endpoint, long receivedMillis, long answeredMillis) {
    }

    FakeKeyVault(TestTls tls) throws IOException, GeneralSecurityException {
        this.tls = tls;
        keys.rotate(KEY_NAME);
        server = listen(0);
        port = server.getAddress().getPort();
    }

    private HttpsServer listen(int onPort) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        https.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        https.createContext("/", this::route);
        https.start();
        return https;
    }

    int port() {
        return port;
    }

    /** The service goes away: the port refuses connections and open connections are closed. Keys are kept. */
    synchronized void goDown() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** The service is back on the same port, with the same keys, tokens and switches. */
    synchronized void comeBack() throws IOException {
        if (server == null) {
            server = listen(port);
        }
    }

    String vaultUrl() {
        return "https://" + TestTls.VAULT_HOST + ":" + port() + "/";
    }

    String authorityHost() {
        return "https://localhost:" + port() + "/";
    }

    int calls(String operation) {
        return calls.getOrDefault(operation, new AtomicInteger()).get();
    }

    @Override
    public void close() {
        goDown();
    }

    private void route(HttpExchange exchange) throws IOException {
        long received = System.currentTimeMillis();
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().substring(1).split("/");
            if (path.length == 4 && path[1].equals("oauth2") && path[3].equals("token")) {
                entra.handleToken(exchange, path[0]);
            } else if (path.length == 2 && path[0].equals("msi") && path[1].equals("token")) {
                entra.handleManagedIdentity(exchange);
            } else if (path.length >= 2 && path[0].equals("keys")) {
                keyVault(exchange, path);
            } else {
                FakeHttp.send(exchange, 404, FakeHttp.kvError("NotFound", "no such endpoint in the fake", null));
            }
        } catch (RuntimeException | GeneralSecurityException e) {
            FakeHttp.send(exchange, 500, FakeHttp.kvError("InternalError", e.toString(), null));
        } finally {
            served.add(new Served(endpoint(exchange), received, System.currentTimeMillis()));
        }
    }

    /** {@code token} (Entra ID client credentials), {@code msi}, or the Key Vault operation. */
    private static String endpoint(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        if (path.endsWith("/token")) {
            return path.startsWith("/msi/") ? "msi" : "token";
        }
        String[] parts = path.substring(1).split("/");
        return parts.length == 4 && exchange.getRequestMethod().equals("POST") ? parts[3].toLowerCase() : "get";
    }

    private void keyVault(HttpExchange exchange, String[] path) throws IOException, GeneralSecurityException {
        if (!FakeHttp.form(exchange.getRequestURI().getRawQuery()).containsKey("api-version")) {
            FakeHttp.send(exchange, 400, FakeHttp.kvError("BadParameter",
                    "The request URI contains an invalid or missing api-version", null));
            return;
        }
        if (!authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/"
                    + FakeEntraId.TENANT + "\", resource=\"" + RESOURCE + "\"");
            FakeHttp.send(exchange, 401, FakeHttp.kvError("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", null));
            return;
        }
        String method = exchange.getRequestMethod();
        String operation = path.length == 4 && method.equals("POST") ? path[3].toLowerCase() : "get";
        calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
        if (throttled) {
            exchange.getResponseHeaders().set("Retry-After", "0");
            FakeHttp.send(exchange, 429, FakeHttp.kvError("Throttled", "Request was not processed because too many"
                    + " requests were received. Reason: VaultRequestTypeLimitReached", null));
            return;
        }
        switch (operation) {
            case "get" -> getKey(exchange, path);
            case "wrapkey" -> crypt(exchange, path, "wrapKey");
            case "unwrapkey" -> crypt(exchange, path, "unwrapKey");
            default -> FakeHttp.send(exchange, 400, FakeHttp.kvError("BadParameter", "unsupported operation " + operation, null));
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.startsWith("Bearer ") && entra.accepts(header.substring("Bearer ".length()));
    }

    private void getKey(HttpExchange exchange, String[] path) throws IOException {
        FakeKeyStore.Version version = keys.find(path[1], path.length >= 3 ? path[2] : "");
        if (denied.contains("get")) {
            forbidden(exchange, "get");
        } else if (version == null) {
            notFound(exchange, path[1]);
        } else {
            long now = Instant.now().getEpochSecond();
            FakeHttp.send(exchange, 200, Map.of("key", FakeKeyStore.jwk(version, kid(path[1], version)),
                    "attributes", Map.of("enabled", version.enabled, "created", now, "updated", now,
                            "recoveryLevel", "Recoverable+Purgeable", "recoverableDays", 90)));
        }
    }

    private void crypt(HttpExchange exchange, String[] path, String permission) throws IOException, GeneralSecurityException {
        FakeKeyStore.Version version = keys.find(path[1], path[2]);
        JsonNode body = FakeHttp.jsonBody(exchange);
        if (denied.contains(permission)) {
            forbidden(exchange, permission);
        } else if (version == null) {
            notFound(exchange, path[1] + "/" + path[2]);
        } else if (!version.enabled) {
            FakeHttp.send(exchange, 403, FakeHttp.kvError("Forbidden", "Operation " + permission
                    + " is not allowed on a disabled key.", "KeyDisabled"));
        } else if (!"RSA-OAEP-256".equals(body.path("alg").asText())) {
            FakeHttp.send(exchange, 400, FakeHttp.kvError("BadParameter", "Invalid algorithm " + body.path("alg"), null));
        } else {
            byte[] input = Base64.getUrlDecoder().decode(body.path("value").asText());
            byte[] output = permission.equals("wrapKey") ? FakeKeyStore.wrap(version, input) : FakeKeyStore.unwrap(version, input);
            FakeHttp.send(exchange, 200, Map.of("kid", kid(path[1], version), "value", FakeKeyStore.b64url(output)));
        }
    }

    private String kid(String name, FakeKeyStore.Version version) {
        return vaultUrl().replaceAll("/$", "") + "/keys/" + name + "/" + version.id;
    }

    private static void forbidden(HttpExchange exchange, String permission) throws IOException {
        FakeHttp.send(exchange, 403, FakeHttp.kvError("Forbidden", "Caller is not authorized to perform action on"
                + " resource. Action: 'Microsoft.KeyVault/vaults/keys/" + permission + "'", "ForbiddenByRbac"));
    }

    private static void notFound(HttpExchange exchange, String what) throws IOException {
        FakeHttp.send(exchange, 404, FakeHttp.kvError("KeyNotFound", "A key with (name/id) " + what
                + " was not found in this key vault.", null));
    }
}
