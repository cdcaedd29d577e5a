package dev.coffer.seal.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A wire-faithful fake of the AWS KMS JSON 1.1 protocol for the three calls the seal makes: {@code POST /}
 * with {@code X-Amz-Target: TrentService.DescribeKey|Encrypt|Decrypt}, content type
 * {@code application/x-amz-json-1.1}, a SigV4 {@code Authorization} header that is verified against the known
 * access key's secret, and KMS's error shape ({@code {"__type": ..., "message": ...}} with HTTP 400, 500 for
 * internal errors). Switches simulate the operator's failures.
 */
final class FakeKms implements AutoCloseable {

    static final String ACCESS_KEY_ID = "AKIAFAKECOFFER000001";
    static final String SECRET_KEY = "fake/secret/key/for/the/coffer/tests/0000";
    static final String ALIAS = "alias/coffer-unseal";
    private static final ObjectMapper JSON = new ObjectMapper();

    final FakeKmsKeys keys = new FakeKmsKeys();
    final FakeKmsKeys.Key key;
    /** IAM actions (kms:Encrypt, kms:Decrypt, kms:DescribeKey) the caller is currently denied. */
    final Set<String> denied = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    volatile boolean throttled;
    /** The credential scope's region of the last signed request. */
    volatile String lastRegion;
    private final Map<String, String> secrets = new ConcurrentHashMap<>(Map.of(ACCESS_KEY_ID, SECRET_KEY));
    private final HttpServer server;

    FakeKms() throws IOException {
        key = keys.create();
        keys.alias(ALIAS, key);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::route);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Another identity the fake knows, e.g. the one in a shared credentials file. */
    void addCredentials(String accessKeyId, String secretKey) {
        secrets.put(accessKeyId, secretKey);
    }

    int calls(String operation) {
        return calls.getOrDefault(operation, new AtomicInteger()).get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            handle(exchange);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/")
                    || !target.startsWith("TrentService.") || !contentType.startsWith("application/x-amz-json-1.1")) {
                error(exchange, 404, "UnknownOperationException", null);
                return;
            }
            String operation = target.substring("TrentService.".length());
            SigV4Check.Parsed auth = SigV4Check.parse(exchange.getRequestHeaders().getFirst("Authorization"));
            if (auth == null) {
                error(exchange, 400, "MissingAuthenticationTokenException", "Missing Authentication Token");
                return;
            }
            String secret = secrets.get(auth.accessKeyId());
            if (secret == null) {
                error(exchange, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
                return;
            }
            if (!auth.service().equals("kms") || !SigV4Check.verify(exchange, body, auth, secret)) {
                error(exchange, 400, "InvalidSignatureException", "The request signature we calculated does not match"
                        + " the signature you provided. Check your AWS Secret Access Key and signing method.");
                return;
            }
            lastRegion = auth.region();
            calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
            if (throttled) {
                error(exchange, 400, "ThrottlingException", "Rate exceeded");
                return;
            }
            if (denied.contains("kms:" + operation)) {
                error(exchange, 400, "AccessDeniedException", "User: arn:aws:iam::" + FakeKmsKeys.ACCOUNT
                        + ":user/coffer is not authorized to perform: kms:" + operation + " on resource: " + key.arn()
                        + " because no identity-based policy allows the kms:" + operation + " action");
                return;
            }
            JsonNode request = JSON.readTree(body);
            switch (operation) {
                case "DescribeKey" -> describeKey(exchange, request);
                case "Encrypt" -> encrypt(exchange, request);
                case "Decrypt" -> decrypt(exchange, request);
                default -> error(exchange, 400, "UnknownOperationException", null);
            }
        } catch (FakeKmsKeys.KmsError e) {
            error(exchange, 400, e.type, e.getMessage());
        } catch (RuntimeException | GeneralSecurityException e) {
            error(exchange, 500, "KMSInternalException", e.toString());
        }
    }

    private void describeKey(HttpExchange exchange, JsonNode request) throws IOException, FakeKmsKeys.KmsError {
        FakeKmsKeys.Key k = keys.resolve(request.path("KeyId").asText());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("AWSAccountId", FakeKmsKeys.ACCOUNT);
        metadata.put("Arn", k.arn());
        metadata.put("CreationDate", 1.7e9);
        metadata.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
        metadata.put("Description", "");
        metadata.put("Enabled", k.state.equals("Enabled"));
        metadata.put("EncryptionAlgorithms", new String[] {"SYMMETRIC_DEFAULT"});
        metadata.put("KeyId", k.id);
        metadata.put("KeyManager", "CUSTOMER");
        metadata.put("KeySpec", "SYMMETRIC_DEFAULT");
        metadata.put("KeyState", k.state);
        metadata.put("KeyUsage", "ENCRYPT_DECRYPT");
        metadata.put("MultiRegion", false);
        metadata.put("Origin", "AWS_KMS");
        send(exchange, 200, Map.of("KeyMetadata", metadata));
    }

    private void encrypt(HttpExchange exchange, JsonNode request)
            throws IOException, FakeKmsKeys.KmsError, GeneralSecurityException {
        FakeKmsKeys.Key k = usable(keys.resolve(request.path("KeyId").asText()));
        byte[] plaintext = Base64.getDecoder().decode(request.path("Plaintext").asText());
        byte[] blob = keys.encrypt(k, plaintext, context(request));
        send(exchange, 200, Map.of("CiphertextBlob", Base64.getEncoder().encodeToString(blob), "KeyId", k.arn(),
                "EncryptionAlgorithm", "SYMMETRIC_DEFAULT"));
    }

    private void decrypt(HttpExchange exchange, JsonNode request) throws IOException, FakeKmsKeys.KmsError {
        byte[] blob = Base64.getDecoder().decode(request.path("CiphertextBlob").asText());
        FakeKmsKeys.Key owner = keys.keyOf(blob);
        if (request.hasNonNull("KeyId") && keys.resolve(request.get("KeyId").asText()) != owner) {
            throw new FakeKmsKeys.KmsError("IncorrectKeyException", "The key ID in the request does not identify a"
                    + " CMK that can perform this operation.");
        }
        byte[] plaintext = keys.decrypt(usable(owner), blob, context(request));
        send(exchange, 200, Map.of("Plaintext", Base64.getEncoder().encodeToString(plaintext), "KeyId", owner.arn(),
                "EncryptionAlgorithm", "SYMMETRIC_DEFAULT"));
    }

    private static FakeKmsKeys.Key usable(FakeKmsKeys.Key k) throws FakeKmsKeys.KmsError {
        return switch (k.state) {
            case "Enabled" -> k;
            case "Disabled" -> throw new FakeKmsKeys.KmsError("DisabledException", k.arn() + " is disabled.");
            default -> throw new FakeKmsKeys.KmsError("KMSInvalidStateException", k.arn() + " is " + k.state + ".");
        };
    }

    private static Map<String, String> context(JsonNode request) {
        Map<String, String> context = new HashMap<>();
        request.path("EncryptionContext").properties().forEach(e -> context.put(e.getKey(), e.getValue().asText()));
        return context;
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", type);
        if (message != null) {
            body.put("message", message);
        }
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
