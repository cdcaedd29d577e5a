package dev.coffer.api;

import com.fasterxml.jackson.databind.JsonNode;

/** A status code and parsed body (null when the body was empty or not JSON). */
public record ApiResponse(int status, JsonNode body) {
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
