package dev.coffer.policy;

import dev.coffer.CofferException;
import dev.coffer.logical.Operation;
import dev.coffer.token.TokenEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The ACL check of the request pipeline: builds the {@link Acl} from the token's policies (looked up in the
 * {@link PolicyStore}; unknown names grant nothing) and refuses what it does not allow.
 */
public final class AclAuthorizer implements Authorizer {
    private final PolicyStore policies;

    public AclAuthorizer(PolicyStore policies) {
        this.policies = policies;
    }

    @Override
    public void authorize(TokenEntry token, String path, Operation operation, boolean sudoRequired) {
        if (token == null) {
            throw new CofferException.PermissionDenied("permission denied");
        }
        Capability needed = needed(operation);
        if (!acl(token).allows(path, needed, sudoRequired)) {
            throw new CofferException.PermissionDenied("permission denied: the token's policies do not grant "
                    + needed.label() + (sudoRequired ? " and sudo" : "") + " on \"" + path + "\"");
        }
    }

    /** The capability of the same name as the operation. */
    static Capability needed(Operation operation) {
        return switch (operation) {
            case READ -> Capability.READ;
            case CREATE -> Capability.CREATE;
            case UPDATE -> Capability.UPDATE;
            case PATCH -> Capability.PATCH;
            case DELETE -> Capability.DELETE;
            case LIST -> Capability.LIST;
        };
    }

    /** The union ACL of a token's policies. */
    public Acl acl(TokenEntry token) {
        List<Policy> found = new ArrayList<>();
        for (String name : token.policies()) {
            policies.get(name).ifPresent(found::add);
        }
        return Acl.of(found, token.isRoot());
    }

    /** Capability names the token has on {@code path}, as {@code sys/capabilities} reports them. */
    public List<String> capabilities(TokenEntry token, String path) {
        if (token.isRoot()) {
            return List.of("root");
        }
        return Capability.labels(acl(token).capabilities(path));
    }
}
