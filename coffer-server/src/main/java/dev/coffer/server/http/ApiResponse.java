package dev.coffer.server.http;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON response (or an empty 204) produced by an endpoint. */
public record ApiResponse(int status, JsonNode body) {

    public static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null);
    }
}
