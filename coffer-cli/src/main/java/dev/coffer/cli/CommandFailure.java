package dev.coffer.cli;

/** A command could not do its job for a reason the user can fix; the message is printed as is, exit code 1. */
final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message);
    }
}
