package dev.coffer.seal.azure;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token side of the fake: the Entra ID v2 client-credentials endpoint ({@code POST /{tenant}/oauth2/v2.0/token})
 * and an App Service style managed identity endpoint ({@code GET /msi/token} with {@code X-IDENTITY-HEADER}).
 * Issued tokens are opaque random strings the Key Vault side accepts.
 */
final class FakeEntraId {

    static final String TENANT = "11111111-2222-3333-4444-555555555555";
    static final String CLIENT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    static final String CLIENT_SECRET = "fake-client-secret";
    static final String MANAGED_IDENTITY_CLIENT_ID = "99999999-8888-7777-6666-555555555555";
    static final String IDENTITY_HEADER = "fake-identity-header";

    /** What a token was issued for: the resource (a v2 request's scope without "/.default"), client id, tenant. */
    record Issued(String resource, String clientId, String tenant) {
    }

    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    volatile boolean secretExpired;

    boolean accepts(String token) {
        return issued.containsKey(token);
    }

    Issued issuedFor(String token) {
        return token == null ? null : issued.get(token);
    }

    void handleToken(HttpExchange exchange, String tenant) throws IOException {
        Map<String, String> form = FakeHttp.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String correlation = exchange.getRequestHeaders().getFirst("client-request-id");
        if (correlation != null) {
            exchange.getResponseHeaders().set("client-request-id", correlation); // Entra ID echoes it; MSAL checks
        }
        if (!TENANT.equals(tenant)) {
            aadError(exchange, 400, "invalid_request", 90002, "AADSTS90002: Tenant '" + tenant + "' not found.");
        } else if (!CLIENT_ID.equals(form.get("client_id"))) {
            aadError(exchange, 400, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '"
                    + form.get("client_id") + "' was not found in the directory.");
        } else if (secretExpired) {
            aadError(exchange, 401, "invalid_client", 7000222, "AADSTS7000222: The provided client secret keys for app '"
                    + CLIENT_ID + "' are expired. Visit the Azure portal to create new keys for your app.");
        } else if (!CLIENT_SECRET.equals(form.get("client_secret"))) {
            aadError(exchange, 401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided.");
        } else {
            FakeHttp.send(exchange, 200, Map.of("token_type", "Bearer", "expires_in", 3599, "ext_expires_in", 3599,
                    "access_token", issue(new Issued(
                    String.valueOf(form.get("scope")).replaceFirst("/\\.default$", ""), CLIENT_ID, TENANT))));
        }
    }

    void handleManagedIdentity(HttpExchange exchange) throws IOException {
        Map<String, String> query = FakeHttp.form(exchange.getRequestURI().getRawQuery());
        if (!IDENTITY_HEADER.equals(exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER"))) {
            FakeHttp.send(exchange, 401, Map.of("error", "invalid_request", "error_description", "missing identity header"));
        } else if (!MANAGED_IDENTITY_CLIENT_ID.equals(query.get("client_id"))) {
            FakeHttp.send(exchange, 400, Map.of("statusCode", 400, "message",
                    "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId."));
        } else {
            String expiresOn = Long.toString(Instant.now().plusSeconds(3600).getEpochSecond());
            String resource = query.get("resource");
            FakeHttp.send(exchange, 200, Map.of("access_token", issue(new Issued(resource, MANAGED_IDENTITY_CLIENT_ID, TENANT)),
                    "expires_on", expiresOn,
                    "resource", String.valueOf(query.get("resource")), "token_type", "Bearer",
                    "client_id", MANAGED_IDENTITY_CLIENT_ID));
        }
    }

    private String issue(Issued what) {
        String token = "fake-token-" + UUID.randomUUID();
        issued.put(token, what);
        return token;
    }

    private static void aadError(HttpExchange exchange, int status, String error, int code, String description)
            throws IOException {
        FakeHttp.send(exchange, status, Map.of("error", error, "error_description", description,
                "error_codes", List.of(code), "timestamp", Instant.now().toString(),
                "trace_id", UUID.randomUUID().toString(), "correlation_id", UUID.randomUUID().toString()));
    }
}
