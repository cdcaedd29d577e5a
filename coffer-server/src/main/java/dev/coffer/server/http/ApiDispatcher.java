package dev.coffer.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import java.util.Map;

/**
 * Serves the sealed-state endpoints itself and hands every other request to the core's pipeline
 * ({@link Core#handle}), which routes {@code sys/} to the {@link SystemBackend} and the rest to mounts.
 */
final class ApiDispatcher {
    private final Core core;
    private final RouteTable sealedEndpoints = new RouteTable();
    private final RequestIds requestIds = new RequestIds();

    ApiDispatcher(Core core, String apiAddr, String clusterAddr) {
        this.core = core;
        new SealedEndpoints(core).register(sealedEndpoints);
        HaEndpoints ha = new HaEndpoints(core);
        ha.registerLocal(sealedEndpoints);
        SystemBackend sys = new SystemBackend();
        ha.register(sys.routes());
        new ControlEndpoints(core).register(sys.routes());
        new MetricsEndpoints(core).register(sys.routes());
        RekeyEndpoints.registerBoth(core, sys.routes());
        new AuditEndpoints(core).register(sys.routes());
        new MountEndpoints(core).register(sys.routes());
        new PolicyEndpoints(core).register(sys.routes());
        new GenerateRootEndpoints(core).register(sys.routes());
        new SnapshotEndpoints(core).register(sys.routes());
        new SnapshotAutoEndpoints(core).register(sys.routes());
        core.registerSystemBackend(sys);
    }

    ApiResponse dispatch(ApiRequest req) {
        Map<String, RouteTable.Endpoint> sealed = sealedEndpoints.find(req.path()).orElse(null);
        if (sealed != null) {
            RouteTable.Endpoint endpoint = sealed.get(req.operation());
            if (endpoint == null) {
                throw new CofferException.UnsupportedOperation("unsupported operation " + req.operation() + " on "
                        + req.path() + "; supported: " + String.join(", ", new java.util.TreeSet<>(sealed.keySet())));
            }
            return endpoint.handle(req);
        }
        LogicalRequest logical = toLogical(req);
        return toApi(core.handle(logical), logical.id());
    }

    private LogicalRequest toLogical(ApiRequest req) {
        Operation op = switch (req.operation()) {
            case "GET", "HEAD" -> Operation.READ;
            case "PUT" -> Operation.UPDATE;
            case "LIST" -> Operation.LIST;
            case "DELETE" -> Operation.DELETE;
            case "PATCH" -> Operation.PATCH;
            default -> throw new CofferException.UnsupportedOperation("unsupported HTTP method " + req.operation());
        };
        ObjectNode data = req.body();
        if (op == Operation.READ || op == Operation.LIST || op == Operation.DELETE) {
            // Vault reads parameters of GET/LIST/DELETE requests from the query string
            req.query().forEach((k, v) -> {
                if (!k.equals("list") && !data.has(k)) {
                    data.put(k, v);
                }
            });
        }
        return new LogicalRequest(requestIds.next(), op, req.path(), null, null, data, req.token(), null,
                req.remoteAddress(), req.forwardedFor() == null ? Map.of() : Map.of("x-forwarded-for", req.forwardedFor()),
                req.rawBody());
    }

    /** The response envelope; its {@code request_id} is the request's id, the one audit devices record. */
    private static ApiResponse toApi(LogicalResponse r, String requestId) {
        if (r.stream() != null) {
            return new ApiResponse(r.status(), null, r.stream());
        }
        if (r.raw() != null) {
            return new ApiResponse(r.status(), r.raw());
        }
        if (r.status() == 204 && r.data() == null && r.auth() == null && r.warnings().isEmpty()) {
            return ApiResponse.noContent();
        }
        int status = r.status() == 204 ? 200 : r.status();
        if (r.topLevelCopy() && r.data() != null) {
            return new ApiResponse(status, Envelope.tree(requestId, r));
        }
        return ApiResponse.json(status, Envelope.bytes(requestId, r));
    }
}
