package dev.coffer.logical;

import java.util.List;

/**
 * A secrets engine or auth method mounted at a path. It sees only requests already authenticated, authorized
 * and audited by the core, and only its own storage ({@link BackendContext#storage()}, a barrier view that
 * cannot reach outside the mount).
 *
 * <p>Errors are {@link dev.coffer.CofferException}s: BadRequest for invalid input (message says what to
 * fix), NotFound for missing data (404), Conflict for check-and-set failures.
 */
public interface LogicalBackend extends AutoCloseable {

    LogicalResponse handle(LogicalRequest request);

    /**
     * For a write: does the target already exist? {@code TRUE} makes it an UPDATE, {@code FALSE} a CREATE
     * (separate ACL capabilities); null means the path has no existence check and every write is an UPDATE.
     */
    default Boolean exists(LogicalRequest request) {
        return null;
    }

    /** Paths inside the mount (globs ending in {@code *} allowed) that also require the sudo capability. */
    default List<String> sudoPaths() {
        return List.of();
    }

    /** Paths inside the mount (globs ending in {@code *} allowed) that need no token, e.g. a login path. */
    default List<String> unauthenticatedPaths() {
        return List.of();
    }

    /** Called when the mount is removed or the node seals; releases in-memory state. */
    @Override
    default void close() {
    }
}
