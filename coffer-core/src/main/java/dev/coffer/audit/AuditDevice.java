package dev.coffer.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * A destination for audit entries. A device records an entry completely or throws: the broker counts a
 * request as audited only when some device returned normally, and refuses it otherwise.
 */
public interface AuditDevice extends AutoCloseable {

    /** Records one entry, already rendered with this device's {@link #format()}. */
    void write(ObjectNode entry) throws IOException;

    /** How this device renders entries: raw or hashed values, hashed accessors. */
    AuditFormat format();

    /** Reopens the underlying file after it was moved away (logrotate); a no-op for devices without one. */
    default void reopen() throws IOException {
    }

    @Override
    void close();
}
