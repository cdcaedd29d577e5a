package dev.coffer.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.barrier.SecurityBarrier;
import dev.coffer.core.Core;
import dev.coffer.core.InitRequest;
import dev.coffer.core.InitResult;
import dev.coffer.core.SealStatus;
import dev.coffer.core.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The {@code sys/} endpoints of the server core: init, seal, unseal, health, leader, rotation. */
final class SysEndpoints {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Core core;
    private final String apiAddr;
    private final String clusterAddr;

    SysEndpoints(Core core, String apiAddr, String clusterAddr) {
        this.core = core;
        this.apiAddr = apiAddr;
        this.clusterAddr = clusterAddr;
    }

    void register(RouteTable t) {
        t.add("sys/init", Route.Access.NONE, true, Map.of("GET", r -> initStatus(), "PUT", this::init));
        t.add("sys/seal-status", Route.Access.NONE, true, Map.of("GET", r -> sealStatus()));
        t.add("sys/unseal", Route.Access.NONE, true, Map.of("PUT", this::unseal));
        t.add("sys/seal", Route.Access.SUDO, false, Map.of("PUT", r -> seal()));
        t.add("sys/health", Route.Access.NONE, true, Map.of("GET", this::health));
        t.add("sys/leader", Route.Access.NONE, false, Map.of("GET", r -> leader()));
        t.add("sys/rotate", Route.Access.SUDO, false, Map.of("PUT", r -> rotate()));
        t.add("sys/key-status", Route.Access.TOKEN, false, Map.of("GET", r -> keyStatus()));
        t.add("sys/rotate/config", Route.Access.SUDO, false,
                Map.of("GET", r -> rotateConfig(), "PUT", this::writeRotateConfig));
        new RekeyEndpoints(core).register(t);
    }

    private ApiResponse initStatus() {
        return ApiResponse.ok(F.objectNode().put("initialized", core.initialized()));
    }

    private ApiResponse init(ApiRequest r) {
        Params.unsupported(r, "pgp_keys", "PGP-encrypted shares are not implemented; omit pgp_keys");
        Params.unsupported(r, "root_token_pgp_key", "PGP-encrypting the root token is not implemented; omit it");
        Params.unsupported(r, "stored_shares", "stored shares apply to auto seals only");
        int shares = Params.intField(r, "secret_shares", -1);
        int threshold = Params.intField(r, "secret_threshold", -1);
        if (shares < 0 || threshold < 0) {
            throw new CofferException.BadRequest("secret_shares and secret_threshold are required (the CLI defaults are 5 and 3)");
        }
        InitResult result = core.init(new InitRequest(shares, threshold,
                Params.intField(r, "recovery_shares", 0), Params.intField(r, "recovery_threshold", 0)));
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
        return o;
    }

    private ApiResponse unseal(ApiRequest r) {
        boolean reset = Params.boolField(r, "reset", false);
        if (Params.boolField(r, "migrate", false)) {
            throw new CofferException.BadRequest("seal migration needs an auto seal configured; nothing to migrate with a "
                    + "single shamir seal");
        }
        if (reset) {
            return ApiResponse.ok(sealStatusJson(core.resetUnseal()));
        }
        var keyNode = r.field("key");
        if (keyNode != null && !keyNode.isTextual()) {
            throw new CofferException.BadRequest("field \"key\" must be a string (the unseal key in hex or base64)");
        }
        return ApiResponse.ok(sealStatusJson(core.unseal(keyNode == null ? null : keyNode.textValue())));
    }

    private ApiResponse seal() {
        core.seal();
        return ApiResponse.noContent();
    }

    private ApiResponse health(ApiRequest r) {
        int code;
        boolean init = core.initialized();
        boolean sealed = core.sealed();
        if (!init) {
            code = Params.queryInt(r, "uninitcode", 501);
        } else if (sealed) {
            code = Params.queryInt(r, "sealedcode", 503);
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
        o.put("standby", false);
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

    private ApiResponse leader() {
        ObjectNode o = F.objectNode();
        o.put("ha_enabled", false);
        o.put("is_self", true);
        o.put("active_time", core.activeSince().map(Instant::toString).orElse("0001-01-01T00:00:00Z"));
        o.put("leader_address", apiAddr == null ? "" : apiAddr);
        o.put("leader_cluster_address", clusterAddr == null ? "" : clusterAddr);
        o.put("performance_standby", false);
        o.put("performance_standby_last_remote_wal", 0);
        return ApiResponse.ok(o);
    }

    private ApiResponse rotate() {
        core.barrier().rotate();
        return ApiResponse.noContent();
    }

    private ApiResponse keyStatus() {
        SecurityBarrier.KeyStatus ks = core.barrier().keyStatus();
        ObjectNode data = F.objectNode();
        data.put("term", ks.term());
        data.put("install_time", ks.installTime().toString());
        data.put("encryptions", ks.encryptions());
        return ApiResponse.ok(Envelope.withTopLevelCopy(data));
    }

    private ApiResponse rotateConfig() {
        SecurityBarrier.RotationConfig c = core.barrier().rotationConfig();
        ObjectNode data = F.objectNode();
        data.put("max_operations", c.maxOperations());
        data.put("interval", DurationFormat.format(c.interval()));
        data.put("enabled", c.enabled());
        return ApiResponse.ok(Envelope.withTopLevelCopy(data));
    }

    private ApiResponse writeRotateConfig(ApiRequest r) {
        SecurityBarrier.RotationConfig c = core.barrier().rotationConfig();
        long maxOps = Params.longField(r, "max_operations", c.maxOperations());
        if (maxOps < 0) {
            throw new CofferException.BadRequest("max_operations must not be negative");
        }
        Duration interval = c.interval();
        String iv = r.field("interval") == null ? null : r.field("interval").asText();
        if (iv != null) {
            interval = DurationFormat.parse("interval", iv);
        }
        boolean enabled = Params.boolField(r, "enabled", c.enabled());
        core.barrier().setRotationConfig(new SecurityBarrier.RotationConfig(maxOps, interval, enabled));
        return ApiResponse.noContent();
    }
}
