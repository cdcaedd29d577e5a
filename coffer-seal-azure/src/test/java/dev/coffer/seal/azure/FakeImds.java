package dev.coffer.seal.azure;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * The Azure Instance Metadata Service's managed identity endpoint of a VM, on plain HTTP like the real one
 * ({@code http://169.254.169.254/metadata/identity/oauth2/token}), but on a loopback port: the SDK is pointed
 * at it with {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}, the variable it honours for an IMDS-compatible endpoint.
 * Tokens come from the shared {@link FakeEntraId}, so the Key Vault fake accepts them.
 */
final class FakeImds implements AutoCloseable {

    private final HttpServer server;
    private final FakeEntraId entra;

    FakeImds(FakeEntraId entra) throws IOException {
        this.entra = entra;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::route);
        server.start();
    }

    /** The value for {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}. */
    String authorityHost() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            // MSAL joins host and path with an extra slash ("//metadata/..."), which java.net.URI would read as an
            // authority; IMDS, like most servers, tolerates it, so the raw request target is normalized here
            String target = exchange.getRequestURI().toString();
            int query = target.indexOf('?');
            String path = (query < 0 ? target : target.substring(0, query)).replaceAll("/+", "/");
            if (path.equals("/metadata/identity/oauth2/token") && exchange.getRequestMethod().equals("GET")) {
                entra.handleImds(exchange);
            } else {
                FakeHttp.send(exchange, 404, java.util.Map.of("error", "not_found", "error_description", path));
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
