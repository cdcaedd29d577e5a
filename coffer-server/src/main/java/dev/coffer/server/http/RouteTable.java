package dev.coffer.server.http;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The few endpoints served outside the core's request pipeline because they must answer while sealed and
 * need no token: {@code sys/init}, {@code sys/seal-status}, {@code sys/unseal}, {@code sys/health}.
 */
final class RouteTable {

    @FunctionalInterface
    interface Endpoint {
        ApiResponse handle(ApiRequest request);
    }

    private final Map<String, Map<String, Endpoint>> routes = new HashMap<>();

    RouteTable add(String path, Map<String, Endpoint> operations) {
        Map<String, Endpoint> ops = new HashMap<>(operations);
        if (ops.containsKey("PUT")) {
            ops.putIfAbsent("POST", ops.get("PUT"));
        }
        if (ops.containsKey("GET")) {
            ops.putIfAbsent("HEAD", ops.get("GET"));
        }
        routes.put(path, Map.copyOf(ops));
        return this;
    }

    Optional<Map<String, Endpoint>> find(String path) {
        return Optional.ofNullable(routes.get(path));
    }
}
