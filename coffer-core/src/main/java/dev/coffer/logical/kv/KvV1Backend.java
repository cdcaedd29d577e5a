package dev.coffer.logical.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.barrier.BarrierView;
import dev.coffer.core.Json;
import dev.coffer.logical.BackendContext;
import dev.coffer.logical.LogicalBackend;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.util.List;

/**
 * The unversioned key/value engine (KV v1): the request body is the secret, stored as one JSON object at
 * {@code <key>} in the mount's barrier view, replaced as a whole on every write.
 */
final class KvV1Backend implements LogicalBackend {
    /** Vault's default lease for KV v1 reads (32 days); only advisory, nothing expires. */
    private static final long DEFAULT_LEASE_SECONDS = 2_764_800;

    private final BarrierView view;
    private final long defaultLease;

    KvV1Backend(BackendContext context) {
        this.view = context.storage();
        Long tuned = KvParams.parseDuration(context.mount().config().getOrDefault("default_lease_ttl", "0"));
        this.defaultLease = tuned == null || tuned == 0 ? DEFAULT_LEASE_SECONDS : tuned;
    }

    @Override
    public LogicalResponse handle(LogicalRequest req) {
        String key = req.relativePath();
        return switch (req.operation()) {
            case LIST -> list(key);
            case READ -> read(key);
            case CREATE, UPDATE -> write(key, req.data());
            case DELETE -> {
                KvKeys.requireKey(key, req.path());
                view.delete(key);
                yield LogicalResponse.noContent();
            }
            case PATCH -> throw new CofferException.UnsupportedOperation("KV version 1 has no patch: read the secret, "
                    + "change it and write it back, or use a KV version 2 mount");
        };
    }

    @Override
    public Boolean exists(LogicalRequest req) {
        String key = req.relativePath();
        return KvKeys.isValid(key) ? view.get(key).isPresent() : null;
    }

    private LogicalResponse read(String key) {
        KvKeys.requireKey(key, key);
        byte[] bytes = view.get(key).orElseThrow(() -> new CofferException.NotFound(null));
        ObjectNode data = (ObjectNode) Json.read(bytes, JsonNode.class, "a KV version 1 entry");
        Long ttl = data.has("ttl") ? KvParams.parseDuration(data.get("ttl").asText()) : null;
        return LogicalResponse.ok(data).withLease(ttl != null ? ttl : defaultLease, false);
    }

    private LogicalResponse write(String key, ObjectNode body) {
        KvKeys.requireKey(key, key);
        if (body.isEmpty()) {
            throw new CofferException.BadRequest("missing data fields: send the secret as a JSON object of fields, "
                    + "e.g. {\"password\":\"...\"}");
        }
        if (body.has("ttl") && KvParams.parseDuration(body.get("ttl").asText()) == null) {
            throw new CofferException.BadRequest("field \"ttl\" must be a duration such as \"1h\" or a number of seconds");
        }
        view.put(key, Json.write(body));
        return LogicalResponse.noContent();
    }

    private LogicalResponse list(String prefix) {
        String p = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        List<String> keys = view.list(p);
        if (keys.isEmpty()) {
            throw new CofferException.NotFound(null);
        }
        ObjectNode data = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        keys.stream().sorted().forEach(data.putArray("keys")::add);
        return LogicalResponse.ok(data);
    }
}
