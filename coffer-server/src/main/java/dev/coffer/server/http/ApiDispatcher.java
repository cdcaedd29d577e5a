package dev.coffer.server.http;

import dev.coffer.CofferException;
import dev.coffer.core.Core;

/**
 * Routes an {@link ApiRequest} and enforces, before any endpoint runs: sealed state (503), token and sudo
 * (403), unknown paths (404, only after a valid token so paths cannot be probed anonymously) and unsupported
 * operations (405).
 */
final class ApiDispatcher {
    private final Core core;
    private final RouteTable routes = new RouteTable();

    ApiDispatcher(Core core, String apiAddr, String clusterAddr) {
        this.core = core;
        new SysEndpoints(core, apiAddr, clusterAddr).register(routes);
    }

    ApiResponse dispatch(ApiRequest req) {
        Route route = routes.find(req.path()).orElse(null);
        if (route == null) {
            requireUnsealed();
            core.authenticate(req.token());
            throw new CofferException.NotFound("no handler for route \"" + req.path() + "\"; check the path and the mount");
        }
        Route.Endpoint endpoint = route.operations().get(req.operation());
        if (!route.whileSealed()) {
            requireUnsealed();
        }
        switch (route.access()) {
            case TOKEN -> core.authenticate(req.token());
            case SUDO -> core.authenticateSudo(req.token());
            case NONE -> { }
        }
        if (endpoint == null) {
            return new ApiResponse(405, ApiHandler.errors("unsupported operation " + req.operation() + " on " + req.path()
                    + "; supported: " + String.join(", ", new java.util.TreeSet<>(route.operations().keySet()))));
        }
        return endpoint.handle(req);
    }

    private void requireUnsealed() {
        if (core.sealed()) {
            throw new CofferException.Sealed("Vault is sealed");
        }
    }
}
