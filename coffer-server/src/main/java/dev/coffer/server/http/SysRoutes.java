package dev.coffer.server.http;

import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The route table of the {@code sys/} backend: exact paths ({@code rotate/config}) and prefix patterns ending
 * in {@code *} ({@code mounts/*}, whose remainder the handler gets as {@code rest}). The longest pattern wins.
 * PUT endpoints register both CREATE and UPDATE.
 */
final class SysRoutes {

    @FunctionalInterface
    interface Handler {
        LogicalResponse handle(LogicalRequest request, String rest);
    }

    record Match(Map<Operation, Handler> operations, String rest) {
    }

    private final List<String> patterns = new ArrayList<>();
    private final Map<String, Map<Operation, Handler>> routes = new HashMap<>();
    private final List<String> sudo = new ArrayList<>();
    private final List<String> unauthenticated = new ArrayList<>();

    /** Starts (or extends) a route; add operations with the returned builder. */
    synchronized Builder route(String pattern) {
        Map<Operation, Handler> ops = routes.computeIfAbsent(pattern, k -> new EnumMap<>(Operation.class));
        if (!patterns.contains(pattern)) {
            patterns.add(pattern);
            patterns.sort((a, b) -> Integer.compare(b.length(), a.length()));
        }
        return new Builder(pattern, ops);
    }

    final class Builder {
        private final String pattern;
        private final Map<Operation, Handler> ops;

        private Builder(String pattern, Map<Operation, Handler> ops) {
            this.pattern = pattern;
            this.ops = ops;
        }

        Builder read(Handler h) {
            ops.put(Operation.READ, h);
            return this;
        }

        /** PUT/POST: serves both CREATE and UPDATE. */
        Builder write(Handler h) {
            ops.put(Operation.CREATE, h);
            ops.put(Operation.UPDATE, h);
            return this;
        }

        Builder delete(Handler h) {
            ops.put(Operation.DELETE, h);
            return this;
        }

        Builder list(Handler h) {
            ops.put(Operation.LIST, h);
            return this;
        }

        Builder patch(Handler h) {
            ops.put(Operation.PATCH, h);
            return this;
        }

        /** The route also needs the sudo capability. */
        Builder sudo() {
            sudo.add(pattern);
            return this;
        }

        /** The route needs no token (it is authorized by other means, e.g. unseal keys). */
        Builder unauthenticated() {
            unauthenticated.add(pattern);
            return this;
        }
    }

    Optional<Match> match(String path) {
        for (String p : patterns) {
            boolean prefix = p.endsWith("*");
            if (prefix ? path.startsWith(p.substring(0, p.length() - 1)) : path.equals(p)) {
                return Optional.of(new Match(routes.get(p), prefix ? path.substring(p.length() - 1) : ""));
            }
        }
        return Optional.empty();
    }

    LogicalResponse dispatch(LogicalRequest req) {
        Match m = match(req.relativePath()).orElseThrow(() -> new CofferException.NotFound(
                "no handler for route \"" + req.path() + "\"; check the path"));
        Handler h = m.operations().get(req.operation());
        if (h == null) {
            throw new CofferException.UnsupportedOperation("unsupported operation " + req.operation().capability()
                    + " on " + req.path());
        }
        return h.handle(req, m.rest());
    }

    List<String> sudoPatterns() {
        return List.copyOf(sudo);
    }

    List<String> unauthenticatedPatterns() {
        return List.copyOf(unauthenticated);
    }
}
