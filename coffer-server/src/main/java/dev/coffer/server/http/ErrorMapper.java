package dev.coffer.server.http;

import dev.coffer.CofferException;

/** The one place where errors become HTTP status codes, by exception type (never by message text). */
final class ErrorMapper {
    private ErrorMapper() {
    }

    static int status(CofferException e) {
        return switch (e) {
            case CofferException.BadRequest b -> 400;
            case CofferException.Uninitialized u -> 400;
            case CofferException.Conflict c -> 400;
            case CofferException.PermissionDenied p -> 403;
            case CofferException.NotFound n -> 404;
            case CofferException.UnsupportedOperation u -> 405;
            case CofferException.Standby s -> 429;
            case CofferException.Sealed s -> 503;
            case CofferException.StorageFailure s -> 500;
            case CofferException.Internal i -> 500;
        };
    }
}
