package dev.coffer.api;

/** The client settings (environment variables or flags) are invalid; the message names the setting. */
public final class ClientConfigException extends CofferClientException {
    private static final long serialVersionUID = 1L;

    public ClientConfigException(String message) {
        super(message);
    }

    public ClientConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
