package dev.coffer.seal.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The token side of the fake: the Entra ID v2 token endpoint ({@code POST /{tenant}/oauth2/v2.0/token}) for the
 * client-credentials grant with a client secret or a federated client assertion (workload identity), an App
 * Service style managed identity endpoint ({@code GET /msi/token} with {@code X-IDENTITY-HEADER}) and the
 * Azure VM metadata service's token endpoint (served over plain HTTP by {@link FakeImds}, as IMDS is).
 * Issued tokens are opaque random strings the Key Vault side accepts; each grant is recorded so a test can
 * check which flow, endpoint and client id the SDK really used.
 */
final class FakeEntraId {

    static final String TENANT = "11111111-2222-3333-4444-555555555555";
    static final String CLIENT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    static final String CLIENT_SECRET = "fake-client-secret";
    static final String MANAGED_IDENTITY_CLIENT_ID = "99999999-8888-7777-6666-555555555555";
    /** The client id of the VM's system-assigned identity: IMDS answers for it when no identity is named. */
    static final String SYSTEM_IDENTITY_CLIENT_ID = "55555555-6666-7777-8888-999999999999";
    /** The app (or user-assigned identity) that trusts the AKS cluster's service account tokens. */
    static final String WORKLOAD_CLIENT_ID = "cccccccc-dddd-eeee-ffff-000000000000";
    static final String IDENTITY_HEADER = "fake-identity-header";
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /**
     * One token request the fake answered with a token. {@code endpoint} is token, msi or imds; {@code credential}
     * how the caller proved itself (client_secret, client_assertion, identity_header, metadata_header);
     * {@code requestedClientId} the client id the request named (null when it named none); {@code identity} the
     * client id of the identity the token was issued to.
     */
    record Grant(String endpoint, String grantType, String credential, String requestedClientId, String identity) {
    }

    /** What a token was issued for: the resource (a v2 request's scope without "/.default"), client id, tenant. */
    record Issued(String resource, String clientId, String tenant) {
    }

    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    final List<Grant> grants = new CopyOnWriteArrayList<>();
    volatile boolean secretExpired;
    /** A certificate registered on the app {@link #CLIENT_ID} ("Certificates & secrets"); null: none. */
    volatile java.security.cert.X509Certificate clientCertificate;
    /** Whether the VM behind {@link FakeImds} has a system-assigned identity. */
    volatile boolean systemIdentityAssigned = true;
    /** The service account token the cluster projects into the pod; the federated credential trusts exactly it. */
    volatile String federatedToken = serviceAccountToken("system:serviceaccount:coffer:coffer-server");

    boolean accepts(String token) {
        return issued.containsKey(token);
    }

    Issued issuedFor(String token) {
        return token == null ? null : issued.get(token);
    }

    /** A Kubernetes projected service account token's shape: an unsigned JWT naming issuer, subject and audience. */
    static String serviceAccountToken(String subject) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"fake\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"aud\":[\"api://AzureADTokenExchange\"],\"iss\":"
                + "\"https://oidc.prod-aks.azure.com/fake-cluster/\",\"sub\":\"" + subject + "\",\"exp\":"
                + Instant.now().plusSeconds(3600).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + b64.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }

    void handleToken(HttpExchange exchange, String tenant) throws IOException {
        Map<String, String> form = FakeHttp.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String correlation = exchange.getRequestHeaders().getFirst("client-request-id");
        if (correlation != null) {
            exchange.getResponseHeaders().set("client-request-id", correlation); // Entra ID echoes it; MSAL checks
        }
        String clientId = form.get("client_id");
        if (!TENANT.equals(tenant)) {
            aadError(exchange, 400, "invalid_request", 90002, "AADSTS90002: Tenant '" + tenant + "' not found.");
        } else if (!"client_credentials".equals(form.get("grant_type"))) {
            aadError(exchange, 400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported"
                    + " grant type '" + form.get("grant_type") + "'.");
        } else if (form.containsKey("client_assertion_type")) {
            clientAssertion(exchange, form, clientId);
        } else if (!CLIENT_ID.equals(clientId)) {
            appNotFound(exchange, clientId);
        } else if (secretExpired) {
            aadError(exchange, 401, "invalid_client", 7000222, "AADSTS7000222: The provided client secret keys for app '"
                    + CLIENT_ID + "' are expired. Visit the Azure portal to create new keys for your app.");
        } else if (!CLIENT_SECRET.equals(form.get("client_secret"))) {
            aadError(exchange, 401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided.");
        } else {
            grant(exchange, form, "token", "client_credentials", "client_secret", clientId, CLIENT_ID);
        }
    }

    /**
     * A client assertion: for the app {@link #CLIENT_ID} a JWT signed with the key of its registered certificate
     * ({@link #clientCertificate}); for {@link #WORKLOAD_CLIENT_ID} the federated token its federated credential trusts.
     */
    private void clientAssertion(HttpExchange exchange, Map<String, String> form, String clientId) throws IOException {
        String assertion = form.getOrDefault("client_assertion", "");
        if (!JWT_BEARER.equals(form.get("client_assertion_type"))) {
            aadError(exchange, 400, "invalid_request", 7000232, "AADSTS7000232: Invalid client_assertion_type '"
                    + form.get("client_assertion_type") + "'.");
        } else if (CLIENT_ID.equals(clientId) && clientCertificate != null) {
            if (signedBy(assertion, clientCertificate) && CLIENT_ID.equals(claims(assertion).path("sub").asText())) {
                grant(exchange, form, "token", "client_credentials", "client_certificate", clientId, CLIENT_ID);
            } else {
                aadError(exchange, 401, "invalid_client", 700027, "AADSTS700027: The certificate with identifier used"
                        + " to sign the client assertion is not registered on application. [Reason - The key was not"
                        + " found.]");
            }
        } else if (!WORKLOAD_CLIENT_ID.equals(clientId)) {
            appNotFound(exchange, clientId);
        } else if (assertion.split("\\.").length != 3) {
            aadError(exchange, 400, "invalid_request", 50027, "AADSTS50027: JWT token is invalid or malformed.");
        } else if (!assertion.equals(federatedToken)) {
            JsonNode claims = claims(assertion);
            aadError(exchange, 400, "invalid_request", 70021, "AADSTS70021: No matching federated identity record found"
                    + " for presented assertion. Assertion Issuer: '" + claims.path("iss").asText() + "'. Assertion"
                    + " Subject: '" + claims.path("sub").asText() + "'. Assertion Audience: '"
                    + claims.path("aud").path(0).asText() + "'.");
        } else {
            grant(exchange, form, "token", "client_credentials", "client_assertion", clientId, WORKLOAD_CLIENT_ID);
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
            String token = issue(MANAGED_IDENTITY_CLIENT_ID, query.get("resource"));
            grants.add(new Grant("msi", "managed_identity", "identity_header", query.get("client_id"), MANAGED_IDENTITY_CLIENT_ID));
            String expiresOn = Long.toString(Instant.now().plusSeconds(3600).getEpochSecond());
            FakeHttp.send(exchange, 200, Map.of("access_token", token, "expires_on", expiresOn,
                    "resource", String.valueOf(query.get("resource")), "token_type", "Bearer",
                    "client_id", MANAGED_IDENTITY_CLIENT_ID));
        }
    }

    /**
     * IMDS ({@code GET /metadata/identity/oauth2/token}): a request naming no identity gets a token for the VM's
     * system-assigned identity, one naming {@code client_id} for that user-assigned identity; an identity the VM
     * does not have gets IMDS's 400 "Identity not found".
     */
    void handleImds(HttpExchange exchange) throws IOException {
        Map<String, String> query = FakeHttp.form(exchange.getRequestURI().getRawQuery());
        String requested = query.get("client_id");
        boolean namesIdentity = requested != null || query.containsKey("msi_res_id") || query.containsKey("object_id");
        if (!"true".equals(exchange.getRequestHeaders().getFirst("Metadata"))) {
            FakeHttp.send(exchange, 400, Map.of("error", "invalid_request",
                    "error_description", "Required metadata header not specified"));
        } else if (!query.containsKey("api-version") || !query.containsKey("resource")) {
            FakeHttp.send(exchange, 400, Map.of("error", "invalid_request",
                    "error_description", "Required query variable 'api-version' or 'resource' is missing"));
        } else if (namesIdentity ? !MANAGED_IDENTITY_CLIENT_ID.equals(requested) : !systemIdentityAssigned) {
            FakeHttp.send(exchange, 400, Map.of("error", "invalid_request", "error_description", "Identity not found"));
        } else {
            String identity = namesIdentity ? MANAGED_IDENTITY_CLIENT_ID : SYSTEM_IDENTITY_CLIENT_ID;
            String token = issue(identity, query.get("resource"));
            grants.add(new Grant("imds", "managed_identity", "metadata_header", requested, identity));
            long now = Instant.now().getEpochSecond();
            FakeHttp.send(exchange, 200, Map.of("access_token", token, "client_id", identity,
                    "expires_in", "3599", "expires_on", Long.toString(now + 3599), "ext_expires_in", "3599",
                    "not_before", Long.toString(now), "resource", query.get("resource"), "token_type", "Bearer"));
        }
    }

    private void grant(HttpExchange exchange, Map<String, String> form, String endpoint, String grantType,
                       String credential, String requested, String identity) throws IOException {
        String token = issue(identity, String.valueOf(form.get("scope")).replaceFirst("/\\.default$", ""));
        grants.add(new Grant(endpoint, grantType, credential, requested, identity));
        FakeHttp.send(exchange, 200, Map.of("token_type", "Bearer", "expires_in", 3599, "ext_expires_in", 3599,
                "access_token", token));
    }

    private String issue(String identity, String resource) {
        String token = "fake-token-" + UUID.randomUUID();
        issued.put(token, new Issued(resource, identity, TENANT));
        return token;
    }

    /** Entra ID checks the RS256 signature against the certificates registered on the app. */
    private static boolean signedBy(String jwt, java.security.cert.X509Certificate certificate) {
        String[] parts = jwt.split("\\.");
        try {
            java.security.Signature rs256 = java.security.Signature.getInstance("SHA256withRSA");
            rs256.initVerify(certificate.getPublicKey());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return parts.length == 3 && rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    private static JsonNode claims(String jwt) {
        try {
            return FakeHttp.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException | IllegalArgumentException e) {
            return FakeHttp.JSON.createObjectNode();
        }
    }

    private static void appNotFound(HttpExchange exchange, String clientId) throws IOException {
        aadError(exchange, 400, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '"
                + clientId + "' was not found in the directory '" + TENANT + "'.");
    }

    private static void aadError(HttpExchange exchange, int status, String error, int code, String description)
            throws IOException {
        FakeHttp.send(exchange, status, Map.of("error", error, "error_description", description,
                "error_codes", List.of(code), "timestamp", Instant.now().toString(),
                "trace_id", UUID.randomUUID().toString(), "correlation_id", UUID.randomUUID().toString()));
    }
}
