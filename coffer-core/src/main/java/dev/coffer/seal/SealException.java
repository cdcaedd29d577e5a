package dev.coffer.seal;

/**
 * A seal or KMS operation failed. {@link #reason()} classifies the failure so operators get one clear line
 * per class (bad credentials, missing permission, key not found, throttled, network, integrity).
 */
public class SealException extends Exception {

    public enum Reason { INTEGRITY, BAD_CREDENTIALS, PERMISSION_DENIED, KEY_NOT_FOUND, THROTTLED, UNREACHABLE, CONFIG, OTHER }

    private final Reason reason;

    public SealException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public SealException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
