package dev.coffer.snapshot.auto;

import java.util.Map;

/**
 * Makes a {@link SnapshotTarget} from the attributes of a {@code target "TYPE" {...}} block (or the API's
 * {@code target} object). Found through {@link java.util.ServiceLoader}, so the cloud SDKs live in their own
 * module ({@code coffer-snapshot-targets}); {@code local} is built in.
 */
public interface SnapshotTargetFactory {

    String type();

    /**
     * Checks the attributes (unknown or missing ones are a {@link IllegalArgumentException} naming them) and
     * builds the target. Must not contact the service: it is also called to validate a new schedule.
     */
    SnapshotTarget create(Map<String, String> config);
}
