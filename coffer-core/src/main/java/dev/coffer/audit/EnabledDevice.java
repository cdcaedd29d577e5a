package dev.coffer.audit;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A device in the broker's table, with its formatter and whether it is in a failure streak. */
final class EnabledDevice {
    private static final Logger LOG = LoggerFactory.getLogger(AuditBroker.class);

    private final AuditDeviceConfig config;
    private final AuditDevice device;
    private final AuditHasher hasher;
    private final AtomicBoolean failing = new AtomicBoolean();

    EnabledDevice(AuditDeviceConfig config, AuditDevice device, AuditHasher hasher) {
        this.config = config;
        this.device = device;
        this.hasher = hasher;
    }

    AuditDeviceConfig config() {
        return config;
    }

    AuditDevice device() {
        return device;
    }

    /** Writes the entry; false on failure, logged once per failure streak (the entry itself never is). */
    boolean record(AuditEntry entry) {
        try {
            device.write(new AuditFormatter(device.format(), hasher).render(entry));
        } catch (java.io.IOException | RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                LOG.error("audit device {} failed to record a {} entry: {}; further failures are not logged until it "
                        + "records again", config.path(), entry.type(), e.toString());
            }
            return false;
        }
        if (failing.compareAndSet(true, false)) {
            LOG.info("audit device {} records entries again", config.path());
        }
        return true;
    }
}
