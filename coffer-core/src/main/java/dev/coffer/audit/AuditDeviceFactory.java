package dev.coffer.audit;

/** Creates devices of one type from their table entry. */
@FunctionalInterface
public interface AuditDeviceFactory {

    /**
     * Creates and opens the device; throws {@link dev.coffer.CofferException.BadRequest} when the options are
     * wrong or the destination cannot be written, saying what to fix.
     */
    AuditDevice create(AuditDeviceConfig config);
}
