package dev.coffer.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.logical.StreamingBody;

/**
 * A JSON response (or an empty 204, or a streamed non-JSON body) produced by an endpoint. {@code json} is a body
 * already serialized (the envelope of a routed request), sent instead of {@code body}.
 */
public record ApiResponse(int status, JsonNode body, StreamingBody stream, byte[] json) {

    public ApiResponse(int status, JsonNode body, StreamingBody stream) {
        this(status, body, stream, null);
    }

    public ApiResponse(int status, JsonNode body) {
        this(status, body, null, null);
    }

    public static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null);
    }

    /** A JSON body already serialized. */
    static ApiResponse json(int status, byte[] json) {
        return new ApiResponse(status, null, null, json);
    }
}
