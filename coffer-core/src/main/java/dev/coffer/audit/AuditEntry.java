package dev.coffer.audit;

import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.time.Instant;

/**
 * What one audit entry is made of, before any device renders it.
 *
 * @param type      {@code request} or {@code response}
 * @param mountType the type of the mount serving the request, or null when unknown
 * @param response  the engine's answer (response entries without an error), else null
 * @param error     the error the request ended with, else null
 */
public record AuditEntry(String type, Instant time, LogicalRequest request, String mountType,
                         LogicalResponse response, CofferException error) {
    public static final String REQUEST = "request";
    public static final String RESPONSE = "response";
}
