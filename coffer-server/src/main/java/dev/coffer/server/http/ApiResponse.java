package dev.coffer.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.logical.StreamingBody;

/** A JSON response (or an empty 204, or a streamed non-JSON body) produced by an endpoint. */
public record ApiResponse(int status, JsonNode body, StreamingBody stream) {

    public ApiResponse(int status, JsonNode body) {
        this(status, body, null);
    }

    public static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null);
    }
}
