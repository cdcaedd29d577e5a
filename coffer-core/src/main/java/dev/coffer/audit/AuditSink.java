package dev.coffer.audit;

import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;

/**
 * Receives every authenticated request before it runs and its response after. Fails closed: when
 * {@link #logRequest} throws, the request is refused before any engine sees it, so nothing changes.
 */
public interface AuditSink {

    AuditSink NONE = new AuditSink() {
        @Override
        public void logRequest(LogicalRequest request) {
        }

        @Override
        public void logResponse(LogicalRequest request, LogicalResponse response, CofferException error) {
        }
    };

    /** Records the request; throws when no enabled device could record it. */
    void logRequest(LogicalRequest request);

    /** Records the response ({@code response} null when {@code error} is set). */
    void logResponse(LogicalRequest request, LogicalResponse response, CofferException error);
}
