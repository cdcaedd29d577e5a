package dev.coffer.logical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.token.TokenEntry;
import java.io.InputStream;
import java.util.Map;

/**
 * A request as engines see it.
 *
 * @param id            request id, echoed as {@code request_id}
 * @param operation     what the request does; WRITE-like requests arrive as UPDATE until routing resolves
 *                      CREATE vs UPDATE with the engine's existence check
 * @param path          the full path under {@code /v1/}, e.g. {@code secret/data/app}
 * @param mountPoint    the mount that serves it, e.g. {@code secret/} (set by the router)
 * @param relativePath  the path inside the mount, e.g. {@code data/app} (set by the router)
 * @param data          the JSON body (an empty object when there was none); query parameters of a GET or
 *                      LIST are merged into it, as Vault does
 * @param clientToken   the raw token; only the token store may look at it, never logged or audited in clear
 * @param token         the resolved token, or null on unauthenticated paths
 * @param remoteAddress the client's address, for audit
 * @param headers       selected request headers, lower-case names (e.g. {@code x-vault-wrap-ttl})
 * @param rawBody       the unparsed request body of routes that take binary input (a snapshot restore), or null
 */
public record LogicalRequest(String id, Operation operation, String path, String mountPoint, String relativePath,
                             ObjectNode data, String clientToken, TokenEntry token, String remoteAddress,
                             Map<String, String> headers, InputStream rawBody) {

    public LogicalRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public LogicalRequest(String id, Operation operation, String path, String mountPoint, String relativePath,
                          ObjectNode data, String clientToken, TokenEntry token, String remoteAddress,
                          Map<String, String> headers) {
        this(id, operation, path, mountPoint, relativePath, data, clientToken, token, remoteAddress, headers, null);
    }

    public LogicalRequest withRawBody(InputStream body) {
        return new LogicalRequest(id, operation, path, mountPoint, relativePath, data, clientToken, token, remoteAddress,
                headers, body);
    }

    public LogicalRequest withRoute(String mount, String relative) {
        return new LogicalRequest(id, operation, path, mount, relative, data, clientToken, token, remoteAddress, headers,
                rawBody);
    }

    public LogicalRequest withOperation(Operation op) {
        return new LogicalRequest(id, op, path, mountPoint, relativePath, data, clientToken, token, remoteAddress, headers,
                rawBody);
    }

    public LogicalRequest withToken(TokenEntry resolved) {
        return new LogicalRequest(id, operation, path, mountPoint, relativePath, data, clientToken, resolved, remoteAddress,
                headers, rawBody);
    }

    /** A body field, or null when absent or JSON null. */
    public JsonNode field(String name) {
        JsonNode n = data.get(name);
        return n == null || n.isNull() ? null : n;
    }
}
