package dev.coffer.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on SIGHUP: logrotate's {@code postrotate} sends it so audit devices reopen their files. Uses
 * {@code sun.misc.Signal} (module jdk.unsupported), the only way a JVM can catch a signal; where it is missing
 * or HUP cannot be caught, the server runs without it and says so.
 */
final class Sighup {
    private static final Logger LOG = LoggerFactory.getLogger(Sighup.class);

    private Sighup() {
    }

    /** Installs the handler; false when this JVM or platform does not allow it. */
    static boolean install(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.info("SIGHUP received; reopening audit files");
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.error("handling SIGHUP failed", e);
                }
            });
            return true;
        } catch (IllegalArgumentException | LinkageError | UnsupportedOperationException e) {
            LOG.warn("cannot handle SIGHUP on this platform ({}); audit files are not reopened after logrotate, use "
                    + "copytruncate in the logrotate config instead", e.toString());
            return false;
        }
    }
}
