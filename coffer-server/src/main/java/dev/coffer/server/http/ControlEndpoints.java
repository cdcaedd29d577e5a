package dev.coffer.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.barrier.SecurityBarrier;
import dev.coffer.core.Core;
import dev.coffer.core.SealHealthMonitor;
import dev.coffer.seal.SealException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.time.Duration;

/** {@code sys/seal}, {@code sys/rotate}, {@code sys/key-status}, {@code sys/rotate/config}. */
final class ControlEndpoints {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Core core;

    ControlEndpoints(Core core) {
        this.core = core;
    }

    void register(SysRoutes routes) {
        routes.route("seal").write((r, rest) -> seal()).sudo();
        routes.route("rotate").write((r, rest) -> rotate()).sudo();
        routes.route("key-status").read((r, rest) -> keyStatus());
        routes.route("rotate/config").read((r, rest) -> rotateConfig()).write((r, rest) -> writeRotateConfig(r)).sudo();
        routes.route("seal-backend-status").read((r, rest) -> sealBackendStatus());
        routes.route("sealwrap/rewrap").write((r, rest) -> rewrap()).sudo();
    }

    /**
     * Health of each seal's KMS as last checked (Shamir is always healthy), Vault Enterprise's shape plus
     * {@code type}, {@code priority}, {@code last_checked}, {@code last_error} per seal and {@code degraded} (some seal
     * down, another still able to unseal).
     */
    private LogicalResponse sealBackendStatus() {
        ObjectNode out = F.objectNode();
        var backends = out.putArray("backends");
        var monitor = core.sealHealth().orElse(null);
        if (monitor == null) {
            backends.addObject().put("name", core.sealType()).put("type", core.sealType()).put("healthy", true)
                    .put("configured", true).put("disabled", false);
            out.put("healthy", true);
            out.put("degraded", false);
            return LogicalResponse.raw(200, out);
        }
        int healthy = 0;
        for (SealHealthMonitor.Backend b : monitor.backends()) {
            SealHealthMonitor.Health h = b.health();
            ObjectNode backend = backends.addObject();
            backend.put("name", b.name());
            backend.put("type", b.type());
            backend.put("priority", b.priority());
            backend.put("healthy", h.healthy());
            backend.put("configured", true);
            backend.put("disabled", false);
            if (h.unhealthySince() != null) {
                backend.put("unhealthy_since", h.unhealthySince().toString());
            }
            if (h.lastChecked() != null) {
                backend.put("last_checked", h.lastChecked().toString());
            }
            if (h.lastError() != null) {
                backend.put("last_error", h.lastError());
            }
            healthy += h.healthy() ? 1 : 0;
        }
        SealHealthMonitor.Health all = monitor.health();
        out.put("healthy", all.healthy());
        out.put("degraded", !all.healthy() && healthy > 0);
        if (all.unhealthySince() != null) {
            out.put("unhealthy_since", all.unhealthySince().toString());
        }
        return LogicalResponse.raw(200, out);
    }

    /** Forces the re-wrap of the root key and recovery key under the KMS key's current version. */
    private LogicalResponse rewrap() {
        if (core.autoSealWrapper().isEmpty()) {
            throw new CofferException.BadRequest("this vault uses the shamir seal: there is no KMS key to re-wrap with");
        }
        try {
            ObjectNode data = F.objectNode();
            data.put("rewrapped", core.rewrapIfKmsKeyRotated());
            data.put("key_id", core.autoSealWrapper().get().keyId());
            return LogicalResponse.ok(data);
        } catch (SealException e) {
            throw new CofferException.Internal("re-wrap through the " + core.sealType() + " seal failed (" + e.reason()
                    + "): " + e.getMessage(), e);
        }
    }

    private LogicalResponse seal() {
        core.seal();
        return LogicalResponse.noContent();
    }

    private LogicalResponse rotate() {
        core.barrier().rotate();
        return LogicalResponse.noContent();
    }

    private LogicalResponse keyStatus() {
        SecurityBarrier.KeyStatus ks = core.barrier().keyStatus();
        ObjectNode data = F.objectNode();
        data.put("term", ks.term());
        data.put("install_time", ks.installTime().toString());
        data.put("encryptions", ks.encryptions());
        return LogicalResponse.ok(data).withTopLevelCopy();
    }

    private LogicalResponse rotateConfig() {
        SecurityBarrier.RotationConfig c = core.barrier().rotationConfig();
        ObjectNode data = F.objectNode();
        data.put("max_operations", c.maxOperations());
        data.put("interval", DurationFormat.format(c.interval()));
        data.put("enabled", c.enabled());
        return LogicalResponse.ok(data).withTopLevelCopy();
    }

    private LogicalResponse writeRotateConfig(LogicalRequest r) {
        SecurityBarrier.RotationConfig c = core.barrier().rotationConfig();
        long maxOps = Params.longField(r.data(), "max_operations", c.maxOperations());
        if (maxOps < 0) {
            throw new CofferException.BadRequest("max_operations must not be negative");
        }
        Duration interval = c.interval();
        if (r.field("interval") != null) {
            interval = DurationFormat.parse("interval", r.field("interval").asText());
        }
        boolean enabled = Params.boolField(r.data(), "enabled", c.enabled());
        core.barrier().setRotationConfig(new SecurityBarrier.RotationConfig(maxOps, interval, enabled));
        return LogicalResponse.noContent();
    }
}
