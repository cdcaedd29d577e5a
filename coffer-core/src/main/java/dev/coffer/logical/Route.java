package dev.coffer.logical;

/** The result of routing a path: which mount serves it and the path inside that mount. */
public record Route(MountEntry mount, LogicalBackend backend, String relativePath) {
}
