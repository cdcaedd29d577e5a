package dev.coffer.seal.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A wire-faithful fake of the parts of Google Cloud the seal uses:
 * <ul>
 *   <li>the OAuth2 token endpoint ({@code POST /token}, form-encoded JWT-bearer grant): the assertion must be an
 *   RS256 JWT signed by the test service account's private key, issued by its e-mail, for Google's token audience, with
 *   the Cloud KMS scope and a valid lifetime; answers {@code access_token}/{@code expires_in};</li>
 *   <li>Cloud KMS REST v1: {@code GET /v1/projects/P/locations/L/keyRings/R/cryptoKeys/K},
 *   {@code POST .../cryptoKeys/K:encrypt} and {@code :decrypt}, JSON with base64 bytes and int64 CRC32C as strings,
 *   a Bearer token that the token endpoint issued, and Google's error shape
 *   ({@code {"error": {"code", "message", "status"}}}).</li>
 * </ul>
 * Ciphertexts are the fake's own format (version number, IV, real AES-256-GCM under the version's key, bound to
 * the key name and the additional authenticated data), so rotation, tampering and disabled versions behave as in
 * Cloud KMS. Switches simulate an operator's failures.
 */
final class FakeCloudKms implements AutoCloseable {

    static final String PROJECT = "coffer-test";
    static final String LOCATION = "global";
    static final String KEY_RING = "coffer-ring";
    static final String CRYPTO_KEY = "coffer-unseal";
    static final String KEY_NAME = "projects/" + PROJECT + "/locations/" + LOCATION + "/keyRings/" + KEY_RING
            + "/cryptoKeys/" + CRYPTO_KEY;
    static final String CLIENT_EMAIL = "coffer-seal@" + PROJECT + ".iam.gserviceaccount.com";
    static final String GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** IAM permissions (cloudkms.cryptoKeys.get, ...useToEncrypt, ...useToDecrypt) the caller is denied. */
    final Set<String> denied = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    volatile boolean throttled;
    /** Accepts connections but never answers KMS calls in time (a black-holed endpoint). */
    volatile boolean hang;
    /** Tokens are issued but refused by KMS (e.g. the service account was deleted after the token was issued). */
    volatile boolean rejectTokens;

    final KeyPair serviceAccountKey;
    private final Map<String, FakeKey> keys = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final HttpServer server;

    /** One CryptoKey: its versions (1-based, as in Cloud KMS) and which is primary. */
    static final class FakeKey {
        final String name;
        final String purpose;
        final List<Version> versions = new ArrayList<>();
        volatile int primary;

        FakeKey(String name, String purpose) {
            this.name = name;
            this.purpose = purpose;
        }

        synchronized Version addVersion() {
            byte[] material = new byte[32];
            RANDOM.nextBytes(material);
            Version v = new Version(versions.size() + 1, material, name + "/cryptoKeyVersions/" + (versions.size() + 1));
            versions.add(v);
            return v;
        }

        synchronized Version version(int number) {
            return number >= 1 && number <= versions.size() ? versions.get(number - 1) : null;
        }
    }

    static final class Version {
        final int number;
        final byte[] material;
        final String name;
        volatile String state = "ENABLED";

        Version(int number, byte[] material, String name) {
            this.number = number;
            this.material = material;
            this.name = name;
        }
    }

    FakeCloudKms() throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        serviceAccountKey = generator.generateKeyPair();
        FakeKey key = new FakeKey(KEY_NAME, "ENCRYPT_DECRYPT");
        key.primary = key.addVersion().number;
        keys.put(KEY_NAME, key);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::route);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String tokenUri() {
        return endpoint() + "/token";
    }

    FakeKey key() {
        return keys.get(KEY_NAME);
    }

    /** Adds a new version and makes it primary, as 'gcloud kms keys versions create --primary' does. */
    Version rotate() {
        Version v = key().addVersion();
        key().primary = v.number;
        return v;
    }

    /** Another CryptoKey in the same key ring, e.g. with another purpose. */
    FakeKey addKey(String cryptoKey, String purpose) {
        FakeKey key = new FakeKey(KEY_NAME.replace(CRYPTO_KEY, cryptoKey), purpose);
        key.primary = key.addVersion().number;
        keys.put(key.name, key);
        return key;
    }

    /** The service-account key file as Google issues it, with token_uri pointing at this fake. */
    String serviceAccountJson() {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(serviceAccountKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode json = JSON.createObjectNode();
        json.put("type", "service_account");
        json.put("project_id", PROJECT);
        json.put("private_key_id", "0123456789abcdef0123456789abcdef01234567");
        json.put("private_key", pem);
        json.put("client_email", CLIENT_EMAIL);
        json.put("client_id", "100000000000000000001");
        json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        json.put("token_uri", tokenUri());
        return json.toPrettyString();
    }

    int calls(String operation) {
        return calls.getOrDefault(operation, new AtomicInteger()).get();
    }

    /** Stops answering: connections are refused from now on. */
    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/token")) {
                token(exchange);
            } else if (path.startsWith("/v1/")) {
                kms(exchange, path.substring(4));
            } else {
                error(exchange, 404, "NOT_FOUND", "unknown path " + path);
            }
        }
    }

    // --- OAuth2 token endpoint

    private void token(HttpExchange exchange) throws IOException {
        count("token");
        if (!exchange.getRequestMethod().equals("POST") || !contentType(exchange).startsWith("application/x-www-form-urlencoded")) {
            tokenError(exchange, 400, "invalid_request", "POST a form");
            return;
        }
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
            tokenError(exchange, 400, "unsupported_grant_type", "Invalid grant_type: " + form.get("grant_type"));
            return;
        }
        String problem = checkAssertion(form.getOrDefault("assertion", ""));
        if (problem != null) {
            tokenError(exchange, 400, "invalid_grant", problem);
            return;
        }
        String token = "ya29.fake-" + UUID.randomUUID();
        tokens.add(token);
        ObjectNode body = JSON.createObjectNode();
        body.put("access_token", token);
        body.put("expires_in", 3599);
        body.put("token_type", "Bearer");
        send(exchange, 200, body);
    }

    /** Null when the JWT is a valid RS256 assertion of the test service account for this token URI and scope. */
    private String checkAssertion(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return "Invalid JWT: not three parts";
        }
        try {
            Base64.Decoder url = Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(url.decode(parts[0]));
            JsonNode claims = JSON.readTree(url.decode(parts[1]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return "Invalid JWT: alg must be RS256";
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(serviceAccountKey.getPublic());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(url.decode(parts[2]))) {
                return "Invalid JWT Signature.";
            }
            long now = System.currentTimeMillis() / 1000;
            if (!CLIENT_EMAIL.equals(claims.path("iss").asText())) {
                return "Invalid JWT: unknown issuer " + claims.path("iss").asText();
            }
            // Google's token endpoint expects its own well-known audience; this fake's URI is accepted too
            String aud = claims.path("aud").asText();
            if (!aud.equals(GOOGLE_TOKEN_AUDIENCE) && !aud.equals(tokenUri())) {
                return "Invalid JWT: audience must be " + GOOGLE_TOKEN_AUDIENCE;
            }
            if (!List.of(claims.path("scope").asText().split(" ")).contains(GcpCkmsWrapperFactory.SCOPE)) {
                return "Invalid JWT: scope does not include Cloud KMS";
            }
            long iat = claims.path("iat").asLong(0);
            long exp = claims.path("exp").asLong(0);
            if (iat > now + 60 || exp < now || exp - iat > 3600) {
                return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.";
            }
            return null;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return "Invalid JWT: " + e.getMessage();
        }
    }

    private static void tokenError(HttpExchange exchange, int status, String error, String description) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        send(exchange, status, body);
    }

    // --- Cloud KMS REST v1

    private void kms(HttpExchange exchange, String resource) throws IOException {
        if (hang) {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7)) || rejectTokens) {
            error(exchange, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2"
                    + " access token, login cookie or other valid authentication credential.");
            return;
        }
        int colon = resource.lastIndexOf(':');
        String name = colon < 0 ? resource : resource.substring(0, colon);
        String verb = colon < 0 ? "" : resource.substring(colon + 1);
        String method = exchange.getRequestMethod();
        String operation;
        String permission;
        if (method.equals("GET") && verb.isEmpty()) {
            operation = "get";
            permission = GcpCkmsWrapper.PERMISSION_GET;
        } else if (method.equals("POST") && verb.equals("encrypt")) {
            operation = "encrypt";
            permission = GcpCkmsWrapper.PERMISSION_ENCRYPT;
        } else if (method.equals("POST") && verb.equals("decrypt")) {
            operation = "decrypt";
            permission = GcpCkmsWrapper.PERMISSION_DECRYPT;
        } else {
            error(exchange, 404, "NOT_FOUND", "The requested URL was not found: " + method + " " + resource);
            return;
        }
        count(operation);
        if (!operation.equals("get") && !contentType(exchange).startsWith("application/json")) {
            error(exchange, 400, "INVALID_ARGUMENT", "Content-Type must be application/json");
            return;
        }
        FakeKey key = keys.get(name);
        if (denied.contains(permission) || (key == null && name.startsWith("projects/" + PROJECT + "/"))) {
            // Cloud KMS does not tell a caller without permission whether the key exists
            error(exchange, 403, "PERMISSION_DENIED", "Permission '" + permission + "' denied on resource '" + name
                    + "' (or it may not exist).");
            return;
        }
        if (key == null) {
            error(exchange, 404, "NOT_FOUND", name + " not found.");
            return;
        }
        if (throttled) {
            error(exchange, 429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Cryptographic requests' and"
                    + " limit 'Cryptographic requests per minute' of service 'cloudkms.googleapis.com'.");
            return;
        }
        switch (operation) {
            case "get" -> send(exchange, 200, describe(key));
            case "encrypt" -> encrypt(exchange, key, JSON.readTree(exchange.getRequestBody()));
            default -> decrypt(exchange, key, JSON.readTree(exchange.getRequestBody()));
        }
    }

    private static ObjectNode describe(FakeKey key) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", key.name);
        body.put("purpose", key.purpose);
        body.put("createTime", "2025-01-01T00:00:00.000000Z");
        Version primary = key.version(key.primary);
        ObjectNode p = body.putObject("primary");
        p.put("name", primary.name);
        p.put("state", primary.state);
        p.put("protectionLevel", "SOFTWARE");
        p.put("algorithm", "GOOGLE_SYMMETRIC_ENCRYPTION");
        p.put("generateTime", "2025-01-01T00:00:00.000000Z");
        body.putObject("versionTemplate").put("protectionLevel", "SOFTWARE").put("algorithm", "GOOGLE_SYMMETRIC_ENCRYPTION");
        return body;
    }

    private void encrypt(HttpExchange exchange, FakeKey key, JsonNode request) throws IOException {
        byte[] plaintext = bytes(request, "plaintext");
        byte[] aad = bytes(request, "additionalAuthenticatedData");
        if (plaintext == null || plaintext.length == 0 || aad == null) {
            error(exchange, 400, "INVALID_ARGUMENT", "plaintext is required and must be base64");
            return;
        }
        Boolean plaintextOk = crcMatches(request, "plaintextCrc32c", plaintext);
        Boolean aadOk = crcMatches(request, "additionalAuthenticatedDataCrc32c", aad);
        if (Boolean.FALSE.equals(plaintextOk) || Boolean.FALSE.equals(aadOk)) {
            error(exchange, 400, "INVALID_ARGUMENT", "The checksum in field plaintext_crc32c did not match the data");
            return;
        }
        Version version = key.version(key.primary);
        if (!"ENABLED".equals(version.state)) {
            error(exchange, 400, "FAILED_PRECONDITION", version.name + " is not enabled, current state is: "
                    + version.state + ".");
            return;
        }
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, version, iv, key.name, aad, plaintext);
        byte[] ciphertext = ByteBuffer.allocate(4 + 12 + sealed.length).putInt(version.number).put(iv).put(sealed).array();
        ObjectNode body = JSON.createObjectNode();
        body.put("name", version.name);
        body.put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
        body.put("ciphertextCrc32c", Long.toString(GcpCkmsWrapper.crc32c(ciphertext)));
        body.put("verifiedPlaintextCrc32c", plaintextOk != null);
        body.put("verifiedAdditionalAuthenticatedDataCrc32c", aadOk != null);
        body.put("protectionLevel", "SOFTWARE");
        send(exchange, 200, body);
    }

    private void decrypt(HttpExchange exchange, FakeKey key, JsonNode request) throws IOException {
        byte[] ciphertext = bytes(request, "ciphertext");
        byte[] aad = bytes(request, "additionalAuthenticatedData");
        if (ciphertext == null || aad == null || Boolean.FALSE.equals(crcMatches(request, "ciphertextCrc32c", ciphertext))
                || Boolean.FALSE.equals(crcMatches(request, "additionalAuthenticatedDataCrc32c", aad))) {
            error(exchange, 400, "INVALID_ARGUMENT", "ciphertext must be base64 and match ciphertext_crc32c");
            return;
        }
        if (ciphertext.length < 4 + 12 + 16) {
            error(exchange, 400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.");
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(ciphertext);
        Version version = key.version(in.getInt());
        if (version == null) {
            error(exchange, 400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.");
            return;
        }
        if (!"ENABLED".equals(version.state)) {
            error(exchange, 400, "FAILED_PRECONDITION", version.name + " is not enabled, current state is: "
                    + version.state + ".");
            return;
        }
        byte[] iv = new byte[12];
        in.get(iv);
        byte[] sealed = Arrays.copyOfRange(ciphertext, 16, ciphertext.length);
        byte[] plaintext;
        try {
            plaintext = gcm(Cipher.DECRYPT_MODE, version, iv, key.name, aad, sealed);
        } catch (IllegalStateException e) {
            error(exchange, 400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.");
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("plaintext", Base64.getEncoder().encodeToString(plaintext));
        body.put("plaintextCrc32c", Long.toString(GcpCkmsWrapper.crc32c(plaintext)));
        body.put("usedPrimary", version.number == key.primary);
        body.put("protectionLevel", "SOFTWARE");
        send(exchange, 200, body);
    }

    private static byte[] gcm(int mode, Version version, byte[] iv, String keyName, byte[] aad, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(version.material, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(keyName.getBytes(StandardCharsets.UTF_8));
            cipher.updateAAD(new byte[] {0});
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null when the field is absent (not verified), else whether it matches the data's CRC32C. */
    private static Boolean crcMatches(JsonNode request, String field, byte[] data) {
        JsonNode crc = request.get(field);
        return crc == null ? null : Long.toString(GcpCkmsWrapper.crc32c(data)).equals(crc.asText());
    }

    private static byte[] bytes(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null) {
            return field.equals("additionalAuthenticatedData") ? new byte[0] : null;
        }
        try {
            return Base64.getDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void count(String operation) {
        calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    }

    private static String contentType(HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        return type == null ? "" : type.toLowerCase();
    }

    private static void error(HttpExchange exchange, int code, String status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        send(exchange, code, body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
