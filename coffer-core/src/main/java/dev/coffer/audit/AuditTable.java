package dev.coffer.audit;

import dev.coffer.barrier.SecurityBarrier;
import dev.coffer.core.Json;
import java.util.List;

/** The persisted list of enabled audit devices. */
final class AuditTable {
    /** Behind the barrier: device options name log locations, and the table is restored on every unseal. */
    static final String PATH = "core/audit";

    private final SecurityBarrier barrier;

    AuditTable(SecurityBarrier barrier) {
        this.barrier = barrier;
    }

    List<AuditDeviceConfig> read() {
        return barrier.get(PATH)
                .map(b -> List.of(Json.read(b, AuditDeviceConfig[].class, "the audit table (" + PATH + ")")))
                .orElse(List.of());
    }

    void write(List<AuditDeviceConfig> devices) {
        barrier.put(PATH, Json.write(devices));
    }
}
