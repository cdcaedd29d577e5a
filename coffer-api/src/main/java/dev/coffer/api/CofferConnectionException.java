package dev.coffer.api;

/** The server could not be reached or the connection broke (refused, TLS failure, timeout). */
public final class CofferConnectionException extends CofferClientException {
    private static final long serialVersionUID = 1L;

    public CofferConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
