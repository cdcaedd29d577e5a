package dev.coffer.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.Map;

/**
 * A request to {@code /v1/...} after transport concerns are handled: the path relative to {@code /v1/}, the
 * Vault operation ({@code GET}, {@code PUT} for PUT and POST, {@code LIST}, {@code DELETE}, {@code HEAD},
 * {@code PATCH}), the query parameters, the parsed JSON body (an empty object when there was none), and the
 * client token (never logged). {@code rawBody} is the unread body of the binary routes ({@link RawBodyRoutes}),
 * whose {@code body} is then empty; null elsewhere. {@code remoteAddress} is the client's IP address (see
 * {@link ClientAddress}); {@code forwardedFor} the trusted {@code X-Forwarded-For} chain, or null.
 */
public record ApiRequest(String operation, String path, Map<String, String> query, ObjectNode body, String token,
                         String remoteAddress, InputStream rawBody, String forwardedFor) {

    public ApiRequest(String operation, String path, Map<String, String> query, ObjectNode body, String token,
                      String remoteAddress, InputStream rawBody) {
        this(operation, path, query, body, token, remoteAddress, rawBody, null);
    }

    public ApiRequest(String operation, String path, Map<String, String> query, ObjectNode body, String token,
                      String remoteAddress) {
        this(operation, path, query, body, token, remoteAddress, null);
    }

    public String queryParam(String name) {
        return query.get(name);
    }

    public JsonNode field(String name) {
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n;
    }
}
