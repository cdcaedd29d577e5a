package dev.coffer.server;

/** Entry point of {@code coffer server}. */
public final class CofferServer {
    private CofferServer() {
    }

    /** Starts the server and blocks until it is stopped; returns the process exit code. */
    public static int run(ServerOptions options) {
        throw new IllegalStateException("server wiring lands with the HTTP layer");
    }
}
