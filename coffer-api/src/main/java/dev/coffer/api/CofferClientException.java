package dev.coffer.api;

/** Base of every failure the client reports: a server error, an unreachable server, or bad client settings. */
public class CofferClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CofferClientException(String message) {
        super(message);
    }

    public CofferClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
