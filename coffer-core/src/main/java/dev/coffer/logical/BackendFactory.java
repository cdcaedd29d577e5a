package dev.coffer.logical;

/**
 * Creates engines of one type ({@code kv}, {@code transit}, {@code token}, ...). Found through
 * {@link java.util.ServiceLoader}; {@link #kind()} says whether it is mounted under {@code sys/mounts} (a
 * secrets engine) or {@code sys/auth} (an auth method).
 */
public interface BackendFactory {

    enum Kind { SECRET, AUTH }

    String type();

    Kind kind();

    /** Builds a backend for one mount. Invalid mount options raise BadRequest naming the option. */
    LogicalBackend create(BackendContext context);
}
