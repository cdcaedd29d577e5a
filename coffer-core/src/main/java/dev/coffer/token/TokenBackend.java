package dev.coffer.token;

import dev.coffer.CofferException;
import dev.coffer.logical.BackendContext;
import dev.coffer.logical.LogicalBackend;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import java.util.List;

/**
 * {@code auth/token/*}: create, look up, renew and revoke tokens. The core has already resolved and authorized
 * the caller's token ({@link LogicalRequest#token()}); this backend acts on the store through
 * {@link BackendContext#services()}. Tokens in request bodies are never echoed in errors.
 */
final class TokenBackend implements LogicalBackend {
    private final BackendContext ctx;
    private final TokenStore store;

    private static final java.util.Set<String> PATHS = java.util.Set.of("create", "create-orphan", "lookup",
            "lookup-self", "lookup-accessor", "renew", "renew-self", "renew-accessor", "revoke", "revoke-self",
            "revoke-accessor", "revoke-orphan");

    TokenBackend(BackendContext ctx) {
        this.ctx = ctx;
        this.store = ctx.services().tokens();
    }

    @Override
    public List<String> sudoPaths() {
        return List.of("create-orphan", "revoke-orphan");
    }

    @Override
    public LogicalResponse handle(LogicalRequest req) {
        String p = req.relativePath();
        boolean write = req.operation() == Operation.UPDATE || req.operation() == Operation.CREATE;
        boolean read = req.operation() == Operation.READ;
        if (!PATHS.contains(p)) {
            throw new CofferException.NotFound("no handler for route \"" + req.path() + "\"; see "
                    + "docs/tokens-and-policies.md for the token endpoints");
        }
        if (!write && !(read && (p.equals("lookup-self") || p.equals("lookup")))) {
            throw route(req);
        }
        return switch (p) {
            case "create" -> create(req, false);
            case "create-orphan" -> create(req, true);
            case "lookup" -> lookup(byToken(req), TokenCreation.text(req.field("token")));
            case "lookup-self" -> lookup(req.token(), req.clientToken());
            case "lookup-accessor" -> lookup(byAccessor(req), "");
            case "renew" -> renew(byToken(req), req, TokenCreation.text(req.field("token")));
            case "renew-self" -> renew(req.token(), req, req.clientToken());
            case "renew-accessor" -> renew(byAccessor(req), req, "");
            case "revoke" -> revoke(byToken(req), false);
            case "revoke-self" -> revoke(req.token(), false);
            case "revoke-accessor" -> revoke(byAccessor(req), false);
            case "revoke-orphan" -> revoke(byToken(req), true);
            default -> throw new IllegalStateException("unreachable: " + p);
        };
    }

    private LogicalResponse create(LogicalRequest req, boolean orphanPath) {
        boolean noParent = req.field("no_parent") != null && req.field("no_parent").asBoolean();
        if (noParent && !orphanPath && !ctx.services().hasSudo(req.token(), req.path())) {
            throw new CofferException.PermissionDenied("permission denied: creating an orphan token (no_parent) "
                    + "needs a root token or sudo on " + req.path() + "; or use auth/token/create-orphan");
        }
        TokenStore.Issued issued = store.create(TokenCreation.from(req, ctx.mount(), orphanPath || noParent));
        long now = ctx.clock().instant().getEpochSecond();
        return LogicalResponse.auth(TokenViews.auth(issued, now));
    }

    private LogicalResponse lookup(TokenEntry e, String id) {
        return LogicalResponse.ok(TokenViews.lookup(e, id, ctx.clock().instant().getEpochSecond()));
    }

    private LogicalResponse renew(TokenEntry e, LogicalRequest req, String id) {
        long increment = TtlParser.parse("increment", req.field("increment")).toSeconds();
        long max = TokenCreation.configTtl(ctx.mount(), "max_lease_ttl").toSeconds();
        TokenEntry renewed = store.renew(e, increment, max);
        long now = ctx.clock().instant().getEpochSecond();
        return LogicalResponse.auth(TokenViews.auth(new TokenStore.Issued(id == null ? "" : id, renewed), now));
    }

    private LogicalResponse revoke(TokenEntry e, boolean orphanChildren) {
        if (orphanChildren) {
            store.revokeOrphan(e);
        } else {
            store.revokeTree(e);
        }
        return LogicalResponse.noContent();
    }

    private TokenEntry byToken(LogicalRequest req) {
        String token = TokenCreation.text(req.field("token"));
        if (token == null || token.isBlank()) {
            throw new CofferException.BadRequest("missing \"token\": give the token to act on in the request body");
        }
        return store.lookup(token).orElseThrow(() -> new CofferException.PermissionDenied(
                "bad token: it does not exist, was revoked or has expired"));
    }

    private TokenEntry byAccessor(LogicalRequest req) {
        String accessor = TokenCreation.text(req.field("accessor"));
        if (accessor == null || accessor.isBlank()) {
            throw new CofferException.BadRequest("missing \"accessor\": give the token accessor in the request body");
        }
        return store.lookupByAccessor(accessor).orElseThrow(() -> new CofferException.BadRequest(
                "invalid accessor: no live token has it (revoked, expired or mistyped)"));
    }

    private static CofferException route(LogicalRequest req) {
        return new CofferException.UnsupportedOperation("unsupported operation " + req.operation().capability()
                + " on " + req.path() + "; see docs/tokens-and-policies.md for the token endpoints");
    }
}
