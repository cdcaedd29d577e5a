package dev.coffer.core;

import dev.coffer.CofferException;
import dev.coffer.audit.AuditSink;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.logical.Route;
import dev.coffer.logical.Router;
import dev.coffer.policy.Authorizer;
import dev.coffer.token.TokenEntry;
import dev.coffer.token.TokenStore;
import java.util.Optional;
import java.util.function.Function;

/**
 * The path every routed request takes, in this order: routing, token (unless the engine lists the path as
 * unauthenticated), 404 for unknown paths (only after a valid token, so paths cannot be probed
 * anonymously), CREATE-vs-UPDATE by the engine's existence check, ACL (with sudo where the engine asks),
 * audit of the request (fail closed; denied requests are audited too), the engine, audit of the response.
 * The caller has checked that the barrier is unsealed.
 */
final class RequestPipeline {
    private final Router router;
    private final TokenStore tokens;
    private final Function<String, TokenEntry> authenticator;
    private final Authorizer authorizer;
    private final AuditSink audit;

    RequestPipeline(Router router, TokenStore tokens, Function<String, TokenEntry> authenticator, Authorizer authorizer,
                    AuditSink audit) {
        this.router = router;
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.audit = audit;
    }

    LogicalResponse handle(LogicalRequest request) {
        Optional<Route> route = router.route(request.path());
        boolean unauthenticated = route.isPresent()
                && PathGlobs.matchesAny(route.get().backend().unauthenticatedPaths(), route.get().relativePath());
        TokenEntry token = unauthenticated ? null : authenticator.apply(request.clientToken());
        if (route.isEmpty()) {
            throw new CofferException.NotFound("no handler for route \"" + request.path() + "\"; check the path and that "
                    + "a secrets engine is mounted there (sys/mounts)");
        }
        Route r = route.get();
        LogicalRequest req = request.withRoute(r.mount().routePrefix(), r.relativePath()).withToken(token);
        if (req.operation() == Operation.UPDATE && Boolean.FALSE.equals(r.backend().exists(req))) {
            req = req.withOperation(Operation.CREATE);
        }
        CofferException.PermissionDenied denied = unauthenticated ? null : authorize(r, req, token);
        audit.logRequest(req);
        if (denied != null) {
            // denied requests are audited too: operators need to see who tried what
            audit.logResponse(req, null, denied);
            throw denied;
        }
        LogicalResponse response;
        try {
            response = r.backend().handle(req);
        } catch (CofferException e) {
            audit.logResponse(req, null, e);
            throw e;
        }
        audit.logResponse(req, response, null);
        return response;
    }

    /** Checks the ACL and counts a use of the token; returns the denial instead of throwing it. */
    private CofferException.PermissionDenied authorize(Route r, LogicalRequest req, TokenEntry token) {
        try {
            authorizer.authorize(token, req.path(), req.operation(),
                    PathGlobs.matchesAny(r.backend().sudoPaths(), r.relativePath()));
            tokens.useOnce(token);
            return null;
        } catch (CofferException.PermissionDenied e) {
            return e;
        }
    }
}
