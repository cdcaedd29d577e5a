package dev.coffer.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.core.GenerateRootFlow;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;

/**
 * {@code sys/generate-root/*}: authorized by a threshold of unseal keys, not a token. Only the OTP flow is
 * offered; a PGP key is refused rather than ignored.
 */
final class GenerateRootEndpoints {
    private final Core core;

    GenerateRootEndpoints(Core core) {
        this.core = core;
    }

    void register(SysRoutes routes) {
        routes.route("generate-root/attempt").read((r, rest) -> status(core.generateRoot().status()))
                .write((r, rest) -> start(r)).delete((r, rest) -> cancel()).unauthenticated();
        routes.route("generate-root/update").write((r, rest) -> update(r)).unauthenticated();
    }

    private LogicalResponse start(LogicalRequest r) {
        Params.unsupported(r.data(), "pgp_key", "PGP-encrypted root tokens are not implemented; use the OTP flow "
                + "(operator generate-root -init)");
        return status(core.generateRoot().start(Params.stringField(r.data(), "otp")));
    }

    private LogicalResponse cancel() {
        core.generateRoot().cancel();
        return LogicalResponse.noContent();
    }

    private LogicalResponse update(LogicalRequest r) {
        var key = r.field("key");
        if (key != null && !key.isTextual()) {
            throw new CofferException.BadRequest("field \"key\" must be a string (an unseal key in hex or base64)");
        }
        return status(core.generateRoot().update(key == null ? null : key.textValue(),
                Params.stringField(r.data(), "nonce")));
    }

    private static LogicalResponse status(GenerateRootFlow.Status s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("started", s.started());
        o.put("nonce", s.nonce());
        o.put("progress", s.progress());
        o.put("required", s.required());
        o.put("complete", s.complete());
        o.put("encoded_token", s.encodedToken());
        o.put("encoded_root_token", s.encodedToken());
        o.put("pgp_fingerprint", "");
        o.put("otp_length", GenerateRootFlow.OTP_LENGTH);
        o.put("otp", s.otp());
        return LogicalResponse.raw(200, o);
    }
}
