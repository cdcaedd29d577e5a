package dev.coffer.policy;

import dev.coffer.logical.Operation;
import dev.coffer.token.TokenEntry;

/**
 * Decides whether a token may perform an operation on a path. Every request that is not on an
 * unauthenticated path passes through exactly one call, before any engine sees it.
 */
public interface Authorizer {

    /**
     * Returns normally when allowed; throws {@link dev.coffer.CofferException.PermissionDenied} otherwise.
     *
     * @param sudoRequired the path is a sudo path: the policies must also grant {@code sudo}
     */
    void authorize(TokenEntry token, String path, Operation operation, boolean sudoRequired);
}
