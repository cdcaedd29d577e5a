package dev.coffer.logical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An engine's answer. The HTTP layer wraps {@code data} in Vault's envelope ({@code request_id, lease_id,
 * renewable, lease_duration, data, wrap_info, warnings, auth}), unless {@code raw} is set (a few {@code sys/}
 * endpoints answer with a bare JSON object).
 *
 * @param status        HTTP status; 200 with data, 204 without
 * @param data          the {@code data} object, or null
 * @param auth          the {@code auth} object (token create / login), or null
 * @param warnings      warnings shown to the client
 * @param leaseDuration seconds, for secrets with a lease (0 otherwise)
 * @param renewable     whether the lease can be renewed
 * @param raw           a complete body that replaces the envelope, or null
 * @param topLevelCopy  repeat {@code data}'s fields at the top level, as some older sys endpoints do
 * @param stream        a non-JSON body streamed to the client (e.g. a snapshot), or null
 */
public record LogicalResponse(int status, ObjectNode data, ObjectNode auth, List<String> warnings, long leaseDuration,
                              boolean renewable, JsonNode raw, boolean topLevelCopy, StreamingBody stream) {

    public LogicalResponse {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public LogicalResponse(int status, ObjectNode data, ObjectNode auth, List<String> warnings, long leaseDuration,
                           boolean renewable, JsonNode raw, boolean topLevelCopy) {
        this(status, data, auth, warnings, leaseDuration, renewable, raw, topLevelCopy, null);
    }

    /** A 200 whose body is {@code body}'s bytes rather than JSON. */
    public static LogicalResponse streaming(StreamingBody body) {
        return new LogicalResponse(200, null, null, List.of(), 0, false, null, false, body);
    }

    public static LogicalResponse ok(ObjectNode data) {
        return new LogicalResponse(200, data, null, List.of(), 0, false, null, false);
    }

    public static LogicalResponse noContent() {
        return new LogicalResponse(204, null, null, List.of(), 0, false, null, false);
    }

    /** A bare JSON body (no envelope), e.g. {@code sys/leader}. */
    public static LogicalResponse raw(int status, JsonNode body) {
        return new LogicalResponse(status, null, null, List.of(), 0, false, body, false);
    }

    public static LogicalResponse auth(ObjectNode auth) {
        return new LogicalResponse(200, null, auth, List.of(), 0, false, null, false);
    }

    public LogicalResponse withWarning(String warning) {
        List<String> w = new java.util.ArrayList<>(warnings);
        w.add(warning);
        return new LogicalResponse(status, data, auth, w, leaseDuration, renewable, raw, topLevelCopy, stream);
    }

    public LogicalResponse withLease(long seconds, boolean isRenewable) {
        return new LogicalResponse(status, data, auth, warnings, seconds, isRenewable, raw, topLevelCopy, stream);
    }

    public LogicalResponse withTopLevelCopy() {
        return new LogicalResponse(status, data, auth, warnings, leaseDuration, renewable, raw, true, stream);
    }
}
