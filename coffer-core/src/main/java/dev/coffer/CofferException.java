package dev.coffer;

/**
 * Root of every error Coffer raises on purpose. The HTTP layer maps each subclass to one status code in
 * one place (never by matching message text). Messages are shown to operators and clients: they say what
 * failed, why, and what to do next, and they never contain key material, tokens or secret values.
 */
public abstract sealed class CofferException extends RuntimeException
        permits CofferException.BadRequest, CofferException.PermissionDenied, CofferException.NotFound,
                CofferException.Sealed, CofferException.Uninitialized, CofferException.Standby,
                CofferException.Conflict, CofferException.StorageFailure, CofferException.Internal,
                CofferException.UnsupportedOperation {

    protected CofferException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The request itself is wrong (missing field, wrong type, invalid key share): HTTP 400. */
    public static final class BadRequest extends CofferException {
        public BadRequest(String message) { super(message, null); }
        public BadRequest(String message, Throwable cause) { super(message, cause); }
    }

    /** Missing, invalid or insufficient token: HTTP 403. */
    public static final class PermissionDenied extends CofferException {
        public PermissionDenied(String message) { super(message, null); }
    }

    /** Nothing at that path: HTTP 404. */
    public static final class NotFound extends CofferException {
        public NotFound(String message) { super(message, null); }
    }

    /** The barrier is sealed: HTTP 503. */
    public static final class Sealed extends CofferException {
        public Sealed(String message) { super(message, null); }
    }

    /** The server has not been initialized yet: HTTP 400 on operations that need it (Vault's behaviour). */
    public static final class Uninitialized extends CofferException {
        public Uninitialized(String message) { super(message, null); }
    }

    /** This node is a standby and cannot serve the request itself: HTTP 429 / forwarded. */
    public static final class Standby extends CofferException {
        public Standby(String message) { super(message, null); }
    }

    /** The operation conflicts with the current state (already initialized, rekey in progress): HTTP 400. */
    public static final class Conflict extends CofferException {
        public Conflict(String message) { super(message, null); }
    }

    /** The path exists but does not support this operation: HTTP 405. */
    public static final class UnsupportedOperation extends CofferException {
        public UnsupportedOperation(String message) { super(message, null); }
    }

    /** The storage backend failed: HTTP 500, nothing acknowledged. */
    public static final class StorageFailure extends CofferException {
        public StorageFailure(String message, Throwable cause) { super(message, cause); }
    }

    /** A bug or an integrity failure (tampered ciphertext, corrupt keyring): HTTP 500. */
    public static final class Internal extends CofferException {
        public Internal(String message, Throwable cause) { super(message, cause); }
    }
}
