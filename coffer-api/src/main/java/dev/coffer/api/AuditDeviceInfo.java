package dev.coffer.api;

import java.util.Map;

/** One enabled audit device, as {@code GET sys/audit} lists it. */
public record AuditDeviceInfo(String path, String type, String description, Map<String, String> options, boolean local) {
    public AuditDeviceInfo {
        options = options == null ? Map.of() : Map.copyOf(options);
        description = description == null ? "" : description;
    }
}
