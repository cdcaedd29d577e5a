package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.ApiResponse;
import dev.coffer.api.CofferClient;
import dev.coffer.api.SealStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The auto seal's KMS health in {@code status}: an unsealed node keeps serving through a KMS outage, so the
 * outage shows only here and in {@code sys/seal-backend-status}. That endpoint needs a token; without one (or
 * with one it refuses) the rows are left out rather than failing {@code status}.
 */
final class SealHealthRows {
    private SealHealthRows() {
    }

    /** {@code sys/seal-backend-status}, or null: sealed, Shamir, no token, or the token may not read it. */
    static JsonNode fetch(CofferClient client, SealStatus seal) {
        if (seal.sealed() || !seal.recoverySeal() || client.config().token() == null) {
            return null;
        }
        try {
            ApiResponse response = client.raw("GET", "sys/seal-backend-status", null);
            return response.isSuccess() && response.body() != null && response.body().has("healthy") ? response.body() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static List<Output.Row> rows(JsonNode health) {
        List<Output.Row> rows = new ArrayList<>();
        if (health == null) {
            return rows;
        }
        rows.add(Output.Row.of("Seal Healthy", health.path("healthy").asBoolean()));
        JsonNode backends = health.path("backends");
        for (JsonNode backend : backends) {
            String error = backend.path("last_error").asText("");
            if (!backend.path("healthy").asBoolean(true) && !error.isEmpty()) {
                rows.add(Output.Row.of(backends.size() > 1 ? "Seal Error (" + backend.path("name").asText() + ")"
                        : "Seal Error", error));
            }
        }
        if (health.has("unhealthy_since")) {
            rows.add(Output.Row.of("Seal Unhealthy Since", health.path("unhealthy_since").asText()));
        }
        return rows;
    }
}
