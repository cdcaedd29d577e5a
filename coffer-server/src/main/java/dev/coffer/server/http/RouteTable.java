package dev.coffer.server.http;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Exact-path lookup of {@link Route}s; later engines mount by longest prefix on top of this. */
final class RouteTable {
    private final Map<String, Route> routes = new HashMap<>();

    RouteTable add(String path, Route.Access access, boolean whileSealed, Map<String, Route.Endpoint> operations) {
        Map<String, Route.Endpoint> ops = new HashMap<>(operations);
        if (ops.containsKey("PUT")) {
            ops.putIfAbsent("POST", ops.get("PUT"));
        }
        if (ops.containsKey("GET")) {
            ops.putIfAbsent("HEAD", ops.get("GET"));
        }
        routes.put(path, new Route(path, access, whileSealed, Map.copyOf(ops)));
        return this;
    }

    Optional<Route> find(String path) {
        return Optional.ofNullable(routes.get(path));
    }
}
