package dev.coffer.policy;

import dev.coffer.CofferException;
import dev.coffer.logical.Operation;
import dev.coffer.token.TokenEntry;

/** Grants everything to root tokens and nothing to others: the behaviour when no ACL policy exists. */
public final class RootOnlyAuthorizer implements Authorizer {
    @Override
    public void authorize(TokenEntry token, String path, Operation operation, boolean sudoRequired) {
        if (token == null || !token.isRoot()) {
            throw new CofferException.PermissionDenied("permission denied");
        }
    }
}
