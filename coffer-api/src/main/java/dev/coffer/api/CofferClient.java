package dev.coffer.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Client for Coffer's Vault-compatible HTTP API ({@code /v1/...}). Thread-safe; close it to release the
 * underlying HttpClient.
 *
 * <p>Every call throws {@link CofferApiException} when the server answers with a non-success status (except
 * {@link #health()} and {@link #raw}), {@link CofferConnectionException} when it cannot be reached, and
 * {@link ClientConfigException} when the TLS settings are unusable.
 */
public final class CofferClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final ClientConfig config;
    private final HttpTransport transport;

    private CofferClient(ClientConfig config, TransportOptions options) {
        this.config = config;
        this.transport = new HttpTransport(config, MAPPER, options);
    }

    public static CofferClient create(ClientConfig config) {
        return new CofferClient(config, TransportOptions.NONE);
    }

    /** A client that also sends {@code options}' headers and presents its TLS client certificate. */
    public static CofferClient create(ClientConfig config, TransportOptions options) {
        return new CofferClient(config, options == null ? TransportOptions.NONE : options);
    }

    /** The mapper used for request and response bodies (snake_case names, unknown fields ignored). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public ClientConfig config() {
        return config;
    }

    public SealStatus sealStatus() {
        return as(call("GET", "sys/seal-status", null), SealStatus.class);
    }

    /** Whether the server has been initialized. */
    public boolean initStatus() {
        JsonNode body = call("GET", "sys/init", null);
        return body != null && body.path("initialized").asBoolean(false);
    }

    public InitResponse init(InitRequest request) {
        return as(call("PUT", "sys/init", MAPPER.valueToTree(request)), InitResponse.class);
    }

    /** Submits one unseal key share (hex or base64). */
    public SealStatus unseal(String key) {
        return unseal(key, false);
    }

    /** Submits one key share; {@code migrate} must be set while a seal migration is in progress. */
    public SealStatus unseal(String key, boolean migrate) {
        ObjectNode body = MAPPER.createObjectNode().put("key", key);
        if (migrate) {
            body.put("migrate", true);
        }
        return as(call("PUT", "sys/unseal", body), SealStatus.class);
    }

    /** Discards the key shares submitted so far. */
    public SealStatus unsealReset() {
        return as(call("PUT", "sys/unseal", MAPPER.createObjectNode().put("reset", true)), SealStatus.class);
    }

    public void seal() {
        call("PUT", "sys/seal", null);
    }

    /** Asks the active node (a standby forwards it) to release leadership so another node takes over. */
    public void stepDown() {
        call("PUT", "sys/step-down", null);
    }

    /** Health never throws on 429/501/503 etc.: those codes are how the server reports standby, uninit, sealed. */
    public Health health() {
        ApiResponse response = transport.exchange("GET", "sys/health", null);
        if (response.body() == null || !response.body().has("initialized")) {
            throw apiError("GET", "sys/health", response);
        }
        return as(response.body(), Health.class).withHttpStatus(response.status());
    }

    public LeaderStatus leader() {
        return as(call("GET", "sys/leader", null), LeaderStatus.class);
    }

    /** Adds a new barrier key term; data is re-encrypted lazily under it. */
    public void rotate() {
        call("PUT", "sys/rotate", null);
    }

    public KeyStatus keyStatus() {
        return as(call("GET", "sys/key-status", null), KeyStatus.class);
    }

    public RekeyStatus rekeyInit(int shares, int threshold) {
        return rekeyInit(shares, threshold, RekeyTarget.BARRIER);
    }

    public RekeyStatus rekeyInit(int shares, int threshold, RekeyTarget target) {
        ObjectNode body = MAPPER.createObjectNode().put("secret_shares", shares).put("secret_threshold", threshold);
        return as(call("PUT", target.path("init"), body), RekeyStatus.class);
    }

    public RekeyStatus rekeyStatus() {
        return rekeyStatus(RekeyTarget.BARRIER);
    }

    public RekeyStatus rekeyStatus(RekeyTarget target) {
        return as(call("GET", target.path("init"), null), RekeyStatus.class);
    }

    public void rekeyCancel() {
        rekeyCancel(RekeyTarget.BARRIER);
    }

    public void rekeyCancel(RekeyTarget target) {
        call("DELETE", target.path("init"), null);
    }

    public RekeyUpdate rekeyUpdate(String key, String nonce) {
        return rekeyUpdate(key, nonce, RekeyTarget.BARRIER);
    }

    public RekeyUpdate rekeyUpdate(String key, String nonce, RekeyTarget target) {
        ObjectNode body = MAPPER.createObjectNode().put("key", key).put("nonce", nonce);
        return as(call("PUT", target.path("update"), body), RekeyUpdate.class);
    }

    /** {@code auth/token/lookup-self}: the calling token's properties (the full response body). */
    public JsonNode lookupSelf() {
        return call("GET", "auth/token/lookup-self", null);
    }

    /** Starts a root token generation; {@code otp} null lets the server pick one (returned as {@code otp}). */
    public JsonNode generateRootInit(String otp) {
        ObjectNode body = MAPPER.createObjectNode();
        if (otp != null) {
            body.put("otp", otp);
        }
        return call("PUT", "sys/generate-root/attempt", body);
    }

    public JsonNode generateRootStatus() {
        return call("GET", "sys/generate-root/attempt", null);
    }

    public void generateRootCancel() {
        call("DELETE", "sys/generate-root/attempt", null);
    }

    public JsonNode generateRootUpdate(String key, String nonce) {
        return call("PUT", "sys/generate-root/update", MAPPER.createObjectNode().put("key", key).put("nonce", nonce));
    }

    /** The enabled audit devices ({@code GET sys/audit}), ordered by path. */
    public List<AuditDeviceInfo> auditList() {
        JsonNode data = call("GET", "sys/audit", null);
        List<AuditDeviceInfo> out = new ArrayList<>();
        data.path("data").fields().forEachRemaining(e -> out.add(as(e.getValue(), AuditDeviceInfo.class)));
        out.sort(java.util.Comparator.comparing(AuditDeviceInfo::path));
        return out;
    }

    /** Enables an audit device of {@code type} at {@code path} ({@code PUT sys/audit/:path}). */
    public void auditEnable(String path, String type, String description, Map<String, String> options, boolean local) {
        ObjectNode body = MAPPER.createObjectNode().put("type", type).put("description", description == null ? "" : description)
                .put("local", local);
        ObjectNode o = body.putObject("options");
        options.forEach(o::put);
        call("PUT", "sys/audit/" + path, body);
    }

    public void auditDisable(String path) {
        call("DELETE", "sys/audit/" + path, null);
    }

    /** {@code input} hashed as the audit device at {@code path} hashes it in its log. */
    public String auditHash(String path, String input) {
        ObjectNode body = MAPPER.createObjectNode().put("input", input);
        return call("PUT", "sys/audit-hash/" + path, body).path("data").path("hash").asText();
    }

    /** Reads {@code path}; empty when nothing is stored there (404 without error messages). */
    public Optional<JsonNode> read(String path) {
        return orEmptyOnNotFound("GET", path);
    }

    /** Writes {@code body} to {@code path}; empty when the server answered without a body (204). */
    public Optional<JsonNode> write(String path, JsonNode body) {
        return Optional.ofNullable(call("PUT", path, body));
    }

    /** JSON merge patch of {@code body} into {@code path} (sent as application/merge-patch+json). */
    public Optional<JsonNode> patch(String path, JsonNode body) {
        return Optional.ofNullable(call("PATCH", path, body));
    }

    public void delete(String path) {
        call("DELETE", path, null);
    }

    /** Lists keys under {@code path} with the LIST verb; empty when there are none. */
    public Optional<JsonNode> list(String path) {
        return orEmptyOnNotFound("LIST", path);
    }

    /** Any other call: returns the status and body as they are, never throwing on a non-success status. */
    public ApiResponse raw(String method, String path, JsonNode body) {
        return transport.exchange(method, path, body);
    }

    /** Vault's snapshot path; Coffer serves the same at the backend-neutral {@code sys/storage/snapshot}. */
    static final String SNAPSHOT_PATH = "sys/storage/raft/snapshot";

    /** Streams a snapshot (a gzip'd tar) of the whole vault into {@code out}; needs a sudo token. */
    public void snapshotSave(OutputStream out) {
        ApiResponse response = transport.download(SNAPSHOT_PATH, out);
        if (!response.isSuccess()) {
            throw apiError("GET", SNAPSHOT_PATH, response);
        }
    }

    /**
     * Saves a snapshot to {@code file}: written to a sibling temp file first and moved into place only when
     * complete, so a failed save never leaves a truncated snapshot under the requested name.
     */
    public void snapshotSave(Path file) {
        Path target = file.toAbsolutePath();
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            try (OutputStream out = Files.newOutputStream(part)) {
                snapshotSave(out);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CofferClientException("cannot write the snapshot to " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /**
     * Restores a snapshot file, streamed from disk. Without {@code force} a snapshot of another vault is refused;
     * with it the data is replaced and the server seals (the body then says so). Returns the response body, if any.
     */
    public Optional<JsonNode> snapshotRestore(Path file, boolean force) {
        String path = force ? SNAPSHOT_PATH + "-force" : SNAPSHOT_PATH;
        if (!Files.isReadable(file)) {
            throw new CofferClientException("cannot read the snapshot file " + file + ": check the path and permissions");
        }
        ApiResponse response = transport.upload(path, file);
        if (!response.isSuccess()) {
            throw apiError("POST", path, response);
        }
        return Optional.ofNullable(response.body());
    }

    @Override
    public void close() {
        transport.close();
    }

    private Optional<JsonNode> orEmptyOnNotFound(String method, String path) {
        ApiResponse response = transport.exchange(method, path, null);
        if (response.status() == 404 && errors(response.body()).isEmpty()) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw apiError(method, path, response);
        }
        return Optional.ofNullable(response.body());
    }

    private JsonNode call(String method, String path, JsonNode body) {
        ApiResponse response = transport.exchange(method, path, body);
        if (!response.isSuccess()) {
            throw apiError(method, path, response);
        }
        return response.body();
    }

    private CofferApiException apiError(String method, String path, ApiResponse response) {
        return new CofferApiException(response.status(), errors(response.body()), method,
                transport.uri(path).toString());
    }

    private static List<String> errors(JsonNode body) {
        List<String> errors = new ArrayList<>();
        if (body != null) {
            body.path("errors").forEach(error -> errors.add(error.asText()));
        }
        return errors;
    }

    private static <T> T as(JsonNode body, Class<T> type) {
        if (body == null) {
            throw new CofferClientException("the server sent an empty answer where a " + type.getSimpleName()
                    + " was expected");
        }
        try {
            return MAPPER.treeToValue(body, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new CofferClientException("cannot read the server's " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }
}
