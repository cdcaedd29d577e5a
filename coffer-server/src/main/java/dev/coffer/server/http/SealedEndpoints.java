package dev.coffer.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.core.InitRequest;
import dev.coffer.core.InitResult;
import dev.coffer.core.SealStatus;
import dev.coffer.core.Version;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** {@code sys/init}, {@code sys/seal-status}, {@code sys/unseal}, {@code sys/health}: no token, work while sealed. */
final class SealedEndpoints {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Core core;

    SealedEndpoints(Core core) {
        this.core = core;
    }

    void register(RouteTable t) {
        t.add("sys/init", Map.of("GET", r -> initStatus(), "PUT", this::init));
        t.add("sys/seal-status", Map.of("GET", r -> sealStatus()));
        t.add("sys/unseal", Map.of("PUT", this::unseal));
        t.add("sys/health", Map.of("GET", this::health));
    }

    private ApiResponse initStatus() {
        return ApiResponse.ok(F.objectNode().put("initialized", core.initialized()));
    }

    private ApiResponse init(ApiRequest r) {
        Params.unsupported(r.body(), "pgp_keys", "PGP-encrypted shares are not implemented; omit pgp_keys");
        Params.unsupported(r.body(), "root_token_pgp_key", "PGP-encrypting the root token is not implemented; omit it");
        Params.unsupported(r.body(), "stored_shares", "stored shares apply to auto seals only");
        int shares = Params.intField(r.body(), "secret_shares", -1);
        int threshold = Params.intField(r.body(), "secret_threshold", -1);
        if (core.autoSealWrapper().isEmpty() && (shares < 0 || threshold < 0)) {
            throw new CofferException.BadRequest("secret_shares and secret_threshold are required (the CLI defaults are 5 and 3)");
        }
        InitResult result = core.init(new InitRequest(shares, threshold,
                Params.intField(r.body(), "recovery_shares", 0), Params.intField(r.body(), "recovery_threshold", 0)));
        ObjectNode out = F.objectNode();
        out.set("keys", keys(result.keys(), false));
        out.set("keys_base64", keys(result.keys(), true));
        out.set("recovery_keys", keys(result.recoveryKeys(), false));
        out.set("recovery_keys_base64", keys(result.recoveryKeys(), true));
        out.put("root_token", result.rootToken());
        return ApiResponse.ok(out);
    }

    static ArrayNode keys(List<byte[]> keys, boolean base64) {
        ArrayNode a = F.arrayNode();
        for (byte[] k : keys) {
            a.add(base64 ? Base64.getEncoder().encodeToString(k) : HexFormat.of().formatHex(k));
        }
        return a;
    }

    private ApiResponse sealStatus() {
        return ApiResponse.ok(sealStatusJson(core.sealStatus()));
    }

    static ObjectNode sealStatusJson(SealStatus s) {
        ObjectNode o = F.objectNode();
        o.put("type", s.type());
        o.put("initialized", s.initialized());
        o.put("sealed", s.sealed());
        o.put("t", s.threshold());
        o.put("n", s.shares());
        o.put("progress", s.progress());
        o.put("nonce", s.nonce());
        o.put("version", Version.VERSION);
        o.put("build_date", Version.BUILD_DATE);
        o.put("migration", s.migration());
        if (s.clusterName() != null) {
            o.put("cluster_name", s.clusterName());
            o.put("cluster_id", s.clusterId());
        }
        o.put("recovery_seal", s.recoverySeal());
        if (s.recoverySealType() != null) {
            o.put("recovery_seal_type", s.recoverySealType());
        }
        o.put("storage_type", s.storageType());
        if (s.autoUnsealError() != null) {
            // not in Vault's answer: why this auto-sealed node is still sealed (the KMS error, no secrets)
            o.put("auto_unseal_error", s.autoUnsealError());
        }
        return o;
    }

    private ApiResponse unseal(ApiRequest r) {
        boolean reset = Params.boolField(r.body(), "reset", false);
        boolean migrate = Params.boolField(r.body(), "migrate", false);
        if (reset) {
            return ApiResponse.ok(sealStatusJson(core.resetUnseal()));
        }
        var keyNode = r.field("key");
        if (keyNode != null && !keyNode.isTextual()) {
            throw new CofferException.BadRequest("field \"key\" must be a string (the unseal key in hex or base64)");
        }
        return ApiResponse.ok(sealStatusJson(core.unseal(keyNode == null ? null : keyNode.textValue(), migrate)));
    }

    private ApiResponse health(ApiRequest r) {
        int code;
        boolean init = core.initialized();
        boolean sealed = core.sealed();
        if (!init) {
            code = Params.queryInt(r, "uninitcode", 501);
        } else if (sealed) {
            code = Params.queryInt(r, "sealedcode", 503);
        } else if (core.standby()) {
            code = Params.boolQuery(r, "standbyok") ? Params.queryInt(r, "activecode", 200)
                    : Params.queryInt(r, "standbycode", 429);
        } else {
            code = Params.queryInt(r, "activecode", 200);
        }
        Params.queryInt(r, "standbycode", 429);
        Params.queryInt(r, "drsecondarycode", 472);
        Params.queryInt(r, "performancestandbycode", 473);
        if (code < 100 || code > 599) {
            throw new CofferException.BadRequest("health status codes must be between 100 and 599, got " + code);
        }
        SealStatus s = core.sealStatus();
        ObjectNode o = F.objectNode();
        o.put("initialized", init);
        o.put("sealed", sealed);
        o.put("standby", !sealed && core.standby());
        o.put("performance_standby", false);
        o.put("replication_performance_mode", "disabled");
        o.put("replication_dr_mode", "disabled");
        o.put("server_time_utc", Instant.now().getEpochSecond());
        o.put("version", Version.VERSION);
        if (s.clusterName() != null) {
            o.put("cluster_name", s.clusterName());
            o.put("cluster_id", s.clusterId());
        }
        return new ApiResponse(code, o);
    }
}
