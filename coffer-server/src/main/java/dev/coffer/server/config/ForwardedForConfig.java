package dev.coffer.server.config;

import java.util.List;

/**
 * A listener's {@code x_forwarded_for_*} settings, as in Vault: requests from {@code authorizedAddrs} (e.g. a
 * load balancer) may name the client in {@code X-Forwarded-For}; the address used is the last one in the
 * chain after skipping {@code hopSkips} from the end. Unlike Vault's documentation, and like its code, both
 * reject flags default to false: a request from elsewhere keeps its socket address (its header is ignored),
 * and an authorized peer without the header is the client itself.
 *
 * @param authorizedAddrs      empty: X-Forwarded-For from outside the cluster is never trusted
 * @param hopSkips             addresses skipped from the end of the chain
 * @param rejectNotAuthorized  403 for a request with the header from an address outside {@code authorizedAddrs}
 * @param rejectNotPresent     400 for a request without the header (only once {@code authorizedAddrs} is set)
 */
public record ForwardedForConfig(List<AddressRange> authorizedAddrs, int hopSkips, boolean rejectNotAuthorized,
                                 boolean rejectNotPresent) {

    /** No proxy is trusted: only the cluster's own standbys (whose forwarded requests carry a proof) are. */
    public static final ForwardedForConfig NONE = new ForwardedForConfig(List.of(), 0, false, false);

    public ForwardedForConfig {
        authorizedAddrs = List.copyOf(authorizedAddrs);
        if (hopSkips < 0) {
            throw new IllegalArgumentException("x_forwarded_for_hop_skips must not be negative");
        }
    }

    public boolean enabled() {
        return !authorizedAddrs.isEmpty();
    }
}
