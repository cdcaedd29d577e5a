package dev.coffer.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Stands in for a device that could not be opened on unseal: each write tries to create it again, so the
 * device starts recording as soon as the operator fixes its destination, and until then it counts as failing.
 */
final class RetryingDevice implements AuditDevice {
    private static final AuditFormat HASHED = new AuditFormat(false, true, "");

    private final AuditDeviceConfig config;
    private final AuditDeviceFactory factory;
    private AuditDevice delegate;

    RetryingDevice(AuditDeviceConfig config, AuditDeviceFactory factory) {
        this.config = config;
        this.factory = factory;
    }

    @Override
    public synchronized void write(ObjectNode entry) throws IOException {
        if (delegate == null) {
            throw new IOException("audit device " + config.path() + " is not open yet");
        }
        delegate.write(entry);
    }

    /** The broker asks for the format before each write, so this is where the device is retried. */
    @Override
    public synchronized AuditFormat format() {
        if (delegate == null && factory != null) {
            try {
                delegate = factory.create(config);
            } catch (RuntimeException e) {
                return HASHED;
            }
        }
        return delegate == null ? HASHED : delegate.format();
    }

    @Override
    public synchronized void reopen() throws IOException {
        if (delegate != null) {
            delegate.reopen();
        }
    }

    @Override
    public synchronized void close() {
        if (delegate != null) {
            delegate.close();
        }
    }
}
