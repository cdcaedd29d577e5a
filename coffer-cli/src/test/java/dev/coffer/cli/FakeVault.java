package dev.coffer.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * Stand-in for the Coffer server in CLI tests: answers canned Vault-shaped JSON per "METHOD /v1/path" and
 * records what it was sent. Real end-to-end tests against the server live in coffer-it.
 */
final class FakeVault implements AutoCloseable {
    static final String UNSEALED = """
            {"type":"shamir","initialized":true,"sealed":false,"t":3,"n":5,"progress":0,"nonce":"",
             "version":"0.1.0","build_date":"2025-06-01T00:00:00Z","migration":false,
             "cluster_name":"coffer-cluster-1","cluster_id":"c0ffee-1","recovery_seal":false,"storage_type":"postgresql"}""";
    static final String SEALED = """
            {"type":"shamir","initialized":true,"sealed":true,"t":3,"n":5,"progress":1,"nonce":"nonce-123",
             "version":"0.1.0","build_date":"2025-06-01T00:00:00Z","migration":false,
             "recovery_seal":false,"storage_type":"postgresql"}""";
    static final String NO_HA = """
            {"ha_enabled":false,"is_self":false,"active_time":"0001-01-01T00:00:00Z","leader_address":"",
             "leader_cluster_address":"","performance_standby":false}""";
    static final String SEALED_ERROR = "{\"errors\":[\"Vault is sealed\"]}";

    record Request(String method, String path, String token, String body) {
    }

    private final HttpServer server;
    private final Map<String, String[]> routes = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeVault(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeVault http() throws IOException {
        return new FakeVault(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    static FakeVault https(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new FakeVault(server);
    }

    String address() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeVault on(String methodAndPath, int status, String body) {
        routes.put(methodAndPath, new String[] {String.valueOf(status), body});
        return this;
    }

    List<String> calls() {
        return requests.stream().map(r -> r.method() + " " + r.path()).toList();
    }

    Request last(String methodAndPath) {
        return requests.reversed().stream().filter(r -> (r.method() + " " + r.path()).equals(methodAndPath))
                .findFirst().orElseThrow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(method, path, exchange.getRequestHeaders().getFirst("X-Vault-Token"), body));
        String[] answer = routes.getOrDefault(method + " " + path, new String[] {"404", "{\"errors\":[]}"});
        byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(Integer.parseInt(answer[0]), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
