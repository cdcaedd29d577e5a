package dev.coffer.server.http;

import dev.coffer.CofferException;
import dev.coffer.server.config.ForwardedForConfig;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address of the client a request is for, as audit devices record it ({@code request.remote_address}), and
 * the {@code X-Forwarded-For} chain when it was trusted. {@code X-Forwarded-For} is trusted only from a standby
 * of this cluster (its {@link ForwardingProof} names the client) or from a peer in the listener's
 * {@code x_forwarded_for_authorized_addrs}; anyone else's header is ignored (or refused, with
 * {@code x_forwarded_for_reject_not_authorized}).
 *
 * @param address      the client's IP address
 * @param forwardedFor the trusted {@code X-Forwarded-For} chain, or null when the socket peer is the client
 */
record ClientAddress(String address, String forwardedFor) {
    private static final Logger LOG = LoggerFactory.getLogger(ClientAddress.class);

    static ClientAddress of(ServerRequest req, ForwardedForConfig config, ForwardingProof proofs) {
        InetAddress peer = req.remotePeer().address() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        String peerText = peer(req);
        String chain = chain(req);

        var proof = req.headers().first(ForwardingProof.HEADER);
        if (proof.isPresent()) {
            var claim = proofs.check(proof.get(), req.prologue().method().text(), target(req), chain);
            if (claim.isPresent()) {
                return new ClientAddress(claim.get().client(), chain);
            }
            LOG.warn("a request from {} carries a forwarding proof that does not verify (a node of another cluster, a"
                    + " clock skew over {} s, or forged): its X-Forwarded-For is not trusted", peerText,
                    ForwardingProof.MAX_AGE.toSeconds());
        }
        if (!config.enabled()) {
            return new ClientAddress(peerText, null);
        }
        if (chain == null) {
            if (config.rejectNotPresent()) {
                throw new CofferException.BadRequest("missing X-Forwarded-For header, and this listener is configured to"
                        + " reject requests without one (x_forwarded_for_reject_not_present)");
            }
            return new ClientAddress(peerText, null);
        }
        if (peer == null || config.authorizedAddrs().stream().noneMatch(range -> range.contains(peer))) {
            if (config.rejectNotAuthorized()) {
                throw new CofferException.PermissionDenied("client address " + peerText + " is not allowed to send"
                        + " X-Forwarded-For (x_forwarded_for_authorized_addrs), and this listener is configured to reject"
                        + " such requests (x_forwarded_for_reject_not_authorized)");
            }
            return new ClientAddress(peerText, null);
        }
        List<String> hops = List.of(chain.split(", "));
        int index = hops.size() - 1 - config.hopSkips();
        if (index < 0) {
            throw new CofferException.BadRequest("X-Forwarded-For has " + hops.size() + " address(es) but the listener"
                    + " skips " + config.hopSkips() + " (x_forwarded_for_hop_skips): the request did not come through the"
                    + " expected proxies");
        }
        return new ClientAddress(hops.get(index), chain);
    }

    /** Path and query exactly as sent, which is what a forwarding standby signs. */
    static String target(ServerRequest req) {
        String q = req.query().rawValue();
        return req.path().rawPath() + (q == null || q.isEmpty() ? "" : "?" + q);
    }

    /**
     * The {@code X-Forwarded-For} chain of all header lines as one canonical {@code "a, b, c"} string (null when
     * absent), so a standby's proof and the active node's check see the same text however the lines were split.
     */
    static String chain(ServerRequest req) {
        List<String> hops = new ArrayList<>();
        for (String line : req.headers().all(StandbyForwarder.FORWARDED_FOR, List::of)) {
            for (String part : line.split(",")) {
                if (!part.isBlank()) {
                    hops.add(part.strip());
                }
            }
        }
        return hops.isEmpty() ? null : String.join(", ", hops);
    }

    /** The socket peer's IP address. */
    static String peer(ServerRequest req) {
        return req.remotePeer().address() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(req.remotePeer().address());
    }
}
