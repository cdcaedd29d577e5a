package dev.coffer.server.http;

import java.util.Map;

/**
 * One API path with its operations. {@code access} says what the caller must present before any handler
 * runs; {@code whileSealed} marks the few endpoints that must answer while the barrier is sealed.
 */
record Route(String path, Access access, boolean whileSealed, Map<String, Endpoint> operations) {

    enum Access {
        /** No token: init, seal-status, unseal, health, leader, rekey (authorized by unseal keys). */
        NONE,
        /** Any valid token. */
        TOKEN,
        /** A token with sudo capability (root until ACL policies exist). */
        SUDO
    }

    @FunctionalInterface
    interface Endpoint {
        ApiResponse handle(ApiRequest request);
    }
}
