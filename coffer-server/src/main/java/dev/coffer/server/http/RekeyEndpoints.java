package dev.coffer.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.core.RekeyFlow;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;

/**
 * {@code sys/rekey/*} (unseal keys) and {@code sys/rekey-recovery-key/*} (recovery keys of an auto seal):
 * authorized by a threshold of the current keys rather than a token, like Vault.
 * Verification ({@code require_verification}), PGP-encrypted shares and backups are not offered: asking for
 * them is an error rather than being silently ignored.
 */
final class RekeyEndpoints {
    private final RekeyFlow flow;
    private final String prefix;

    /** @param prefix {@code rekey} or {@code rekey-recovery-key} */
    private RekeyEndpoints(RekeyFlow flow, String prefix) {
        this.flow = flow;
        this.prefix = prefix;
    }

    static void registerBoth(Core core, SysRoutes routes) {
        new RekeyEndpoints(core.rekey(), "rekey").register(routes);
        new RekeyEndpoints(core.recoveryRekey(), "rekey-recovery-key").register(routes);
    }

    private void register(SysRoutes routes) {
        routes.route(prefix + "/init").read((r, rest) -> status(flow.status())).write((r, rest) -> start(r))
                .delete((r, rest) -> cancel()).unauthenticated();
        routes.route(prefix + "/update").write((r, rest) -> update(r)).unauthenticated();
        routes.route(prefix + "/verify").read((r, rest) -> noVerification()).write((r, rest) -> noVerification())
                .delete((r, rest) -> noVerification()).unauthenticated();
    }

    private LogicalResponse start(LogicalRequest r) {
        Params.unsupported(r.data(), "pgp_keys", "PGP-encrypted shares are not implemented; omit pgp_keys");
        Params.unsupported(r.data(), "backup", "backing up PGP-encrypted shares is not implemented");
        Params.unsupported(r.data(), "require_verification", "rekey verification is not implemented; the new keys are "
                + "returned once and take effect immediately");
        int shares = Params.intField(r.data(), "secret_shares", -1);
        int threshold = Params.intField(r.data(), "secret_threshold", -1);
        if (shares < 0 || threshold < 0) {
            throw new CofferException.BadRequest("secret_shares and secret_threshold are required");
        }
        return status(flow.start(shares, threshold));
    }

    private LogicalResponse cancel() {
        flow.cancel();
        return LogicalResponse.noContent();
    }

    private LogicalResponse update(LogicalRequest r) {
        var key = r.field("key");
        if (key != null && !key.isTextual()) {
            throw new CofferException.BadRequest("field \"key\" must be a string (an unseal key in hex or base64)");
        }
        RekeyFlow.Status s = flow.update(key == null ? null : key.textValue(), Params.stringField(r.data(), "nonce"));
        if (s.keys().isEmpty()) {
            return status(s);
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("complete", true);
        o.put("nonce", s.nonce());
        o.set("keys", SealedEndpoints.keys(s.keys(), false));
        o.set("keys_base64", SealedEndpoints.keys(s.keys(), true));
        o.put("backup", false);
        o.put("verification_required", false);
        return LogicalResponse.raw(200, o);
    }

    private LogicalResponse status(RekeyFlow.Status s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("started", s.started());
        o.put("nonce", s.nonce());
        o.put("t", s.newThreshold());
        o.put("n", s.newShares());
        o.put("progress", s.progress());
        o.put("required", s.required());
        o.putNull("pgp_fingerprints");
        o.put("backup", false);
        o.put("verification_required", false);
        return LogicalResponse.raw(200, o);
    }

    private LogicalResponse noVerification() {
        throw new CofferException.BadRequest("no rekey verification is in progress: Coffer does not offer "
                + "require_verification");
    }
}
