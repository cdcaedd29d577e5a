package dev.coffer.server.http;

import dev.coffer.logical.LogicalBackend;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.util.List;

/**
 * The {@code sys/} mount: control endpoints that run through the core's pipeline (token, ACL, audit) like any
 * engine. Groups of endpoints register themselves on {@link SysRoutes}; the sealed-state endpoints are not
 * here (see {@link SealedEndpoints}).
 */
public final class SystemBackend implements LogicalBackend {
    private final SysRoutes routes = new SysRoutes();

    SystemBackend() {
    }

    SysRoutes routes() {
        return routes;
    }

    @Override
    public LogicalResponse handle(LogicalRequest request) {
        return routes.dispatch(request);
    }

    @Override
    public List<String> sudoPaths() {
        return routes.sudoPatterns();
    }

    @Override
    public List<String> unauthenticatedPaths() {
        return routes.unauthenticatedPatterns();
    }
}
