package dev.coffer.seal.transit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.ApiResponse;
import dev.coffer.api.ClientConfigException;
import dev.coffer.api.CofferConnectionException;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns transit answers into {@link SealException}s with one actionable message per failure class. Messages
 * name the address, mount, key and operation, never the token or any plaintext.
 */
final class TransitErrors {

    private TransitErrors() {
    }

    /** What was being attempted: {@code operation} is e.g. "encrypt", "decrypt", "read key", "renew token". */
    record Attempt(String operation, String path, TransitSealConfig config) {
    }

    static SealException fromResponse(Attempt attempt, ApiResponse response) {
        int status = response.status();
        String errors = errors(response.body());
        TransitSealConfig c = attempt.config();
        String where = "transit seal: " + attempt.operation() + " at " + c.address() + "/v1/" + attempt.path();
        String detail = errors.isEmpty() ? "HTTP " + status : "HTTP " + status + ": " + errors;
        String lower = errors.toLowerCase(Locale.ROOT);
        return switch (status) {
            case 401, 403 -> new SealException(Reason.PERMISSION_DENIED, where + " was denied (" + detail + "): the token"
                    + " needs update on " + c.encryptPath() + " and " + c.decryptPath() + " (see docs/seals/transit.md"
                    + " for the policy); it may also be expired or revoked, or the key may not exist (creating it on"
                    + " first use needs create on " + c.encryptPath() + ")");
            case 404 -> new SealException(Reason.KEY_NOT_FOUND, where + " found nothing (" + detail + "): check that"
                    + " mount_path '" + c.mountPath() + "' is a transit mount and that key '" + c.keyName() + "' exists");
            case 429 -> new SealException(Reason.THROTTLED, where + " was throttled (" + detail + "): retry later or"
                    + " raise the transit node's rate limit for this client");
            case 400 -> lower.contains("not found")
                    ? new SealException(Reason.KEY_NOT_FOUND, where + ": key '" + c.keyName() + "' does not exist on"
                    + " mount " + c.mountPath() + " (" + detail + "): create it (POST " + c.keyPath() + ") or fix key_name;"
                    + " blobs encrypted by a deleted key are lost")
                    : attempt.operation().equals("decrypt")
                    ? new SealException(Reason.INTEGRITY, where + " refused the stored ciphertext (" + detail + "): the"
                    + " blob is corrupt, was made by another key, or the key version it names was trimmed or is below"
                    + " min_decryption_version")
                    : new SealException(Reason.OTHER, where + " was rejected (" + detail + "): key '" + c.keyName()
                    + "' must be a transit key that supports encryption (e.g. aes256-gcm96) and not be derived");
            default -> status == 503 && lower.contains("sealed")
                    ? new SealException(Reason.UNREACHABLE, where + " failed: the transit node is sealed (" + detail
                    + "): unseal " + c.address() + "; this node unseals itself once it is back")
                    : status >= 500
                    ? new SealException(Reason.UNREACHABLE, where + " failed (" + detail + "): the transit node at "
                    + c.address() + " is unavailable; it is retried")
                    : new SealException(Reason.OTHER, where + " failed unexpectedly (" + detail + ")");
        };
    }

    static SealException fromThrown(Attempt attempt, RuntimeException e) {
        TransitSealConfig c = attempt.config();
        if (e instanceof CofferConnectionException) {
            return new SealException(Reason.UNREACHABLE, "transit seal: cannot reach the transit node at " + c.address()
                    + " for " + attempt.operation() + " (" + firstLine(e.getMessage()) + "): check the address, that"
                    + " the node runs, and the network, TLS and proxy settings in between", e);
        }
        if (e instanceof ClientConfigException) {
            return new SealException(Reason.CONFIG, "transit seal: TLS settings for " + c.address() + " are unusable: "
                    + e.getMessage(), e);
        }
        return new SealException(Reason.OTHER, "transit seal: " + attempt.operation() + " at " + c.address()
                + " failed unexpectedly (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }

    static String errors(JsonNode body) {
        List<String> out = new ArrayList<>();
        if (body != null) {
            body.path("errors").forEach(error -> out.add(error.asText()));
        }
        return String.join("; ", out);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
