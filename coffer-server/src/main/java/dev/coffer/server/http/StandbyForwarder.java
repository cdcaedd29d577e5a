package dev.coffer.server.http;

import dev.coffer.core.Core;
import dev.coffer.core.HaState;
import dev.coffer.server.config.ForwardedForConfig;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a standby, relays a client's request to the active node's {@code api_addr} and its answer back (same
 * method, path, query, headers, body; the client's address appended to {@code X-Forwarded-For}, with a
 * {@link ForwardingProof} so the active node's audit log names the client). With
 * {@code X-Vault-No-Request-Forwarding} it answers 307 to the active node instead; with no active node, 503. A
 * forward the active node has not answered when it is replaced, or within {@code max_request_duration}, ends with
 * a 503 and is never sent again (ADR 0014).
 */
final class StandbyForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyForwarder.class);
    static final HeaderName NO_FORWARDING = HeaderNames.create("X-Vault-No-Request-Forwarding");
    static final HeaderName FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");
    /** Answered by the standby itself: they describe this node or work while sealed. */
    private static final Set<String> LOCAL = Set.of("/v1/sys/health", "/v1/sys/seal-status", "/v1/sys/leader",
            "/v1/sys/init", "/v1/sys/unseal");
    /** Hop-by-hop headers, and those the JDK client sets itself. */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
            "http2-settings");
    /** A restore answers when it is done: minutes for a large vault. */
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofHours(1);

    private final Core core;
    private final long maxRequestSize;
    private final Duration maxRequestDuration;
    private final ForwardedForConfig forwardedForConfig;
    private final ForwardingProof proofs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();

    /**
     * @param maxRequestDuration the listener's {@code max_request_duration}: how long a forwarded request (failover
     *                           wait included) may take before the client gets a 503 (snapshots: an hour)
     */
    StandbyForwarder(Core core, long maxRequestSize, Duration maxRequestDuration, ForwardedForConfig forwardedForConfig,
                     ForwardingProof proofs) {
        this.core = core;
        this.maxRequestSize = maxRequestSize;
        this.maxRequestDuration = maxRequestDuration;
        this.forwardedForConfig = forwardedForConfig;
        this.proofs = proofs;
    }

    /** Whether this request must go to the active node. */
    boolean applies(ServerRequest req) {
        return core.standby() && !LOCAL.contains(req.path().path());
    }

    /** Returned by {@link #forward} when this node became the active node meanwhile: serve the request here. */
    static final ApiResponse SERVE_LOCALLY = new ApiResponse(0, null);
    /** How long a request waits for an active node that answers (failover under way) before a 503. */
    static final Duration FAILOVER_WAIT = Duration.ofSeconds(3);
    private static final long POLL_MILLIS = 20;

    /**
     * Forwards the request; returns the 307 or 503 to write, {@link #SERVE_LOCALLY}, or null when the active
     * node's answer was relayed. During a failover (no lock holder, the holder is this node still activating, or
     * the active node refuses connections) the request waits up to {@link #FAILOVER_WAIT} for an active node
     * instead of failing at once. Only a connection that could not be opened is retried elsewhere: the request
     * surely did not reach that node, so nothing is applied twice. Once sent, the request is never sent again: it
     * ends with the active node's answer, or with a 503 saying the outcome is unknown when the HA lock moves to
     * another tenure meanwhile ({@link Core#tenureEnded}) or the listener's {@code max_request_duration} passes.
     */
    ApiResponse forward(ServerRequest req, ServerResponse res) {
        long started = System.nanoTime();
        long deadline = started + FAILOVER_WAIT.toNanos();
        byte[] body = null;
        String client = null;
        String lastFailure = "no node holds the HA lock right now (a failover is under way)";
        try {
            while (true) {
                if (!core.standby()) {
                    if (body == null) {
                        return SERVE_LOCALLY;
                    }
                    return noActiveNode("this node became the active node while forwarding; retry");
                }
                HaState state = core.haState();
                if (state.leader() == null || state.leader().nodeId().equals(core.nodeId())) {
                    // no holder, or this node holds the lock and is still loading: wait for it
                    if (System.nanoTime() - deadline > 0) {
                        return noActiveNode(lastFailure + "; retry in a second");
                    }
                    Thread.sleep(POLL_MILLIS);
                    core.refreshLeader();
                    continue;
                }
                String leader = state.leaderApiAddr();
                String target = stripSlash(leader) + req.path().rawPath() + rawQuery(req);
                if (req.headers().contains(NO_FORWARDING)) {
                    res.header(HeaderNames.LOCATION, target);
                    return new ApiResponse(307, null);
                }
                boolean snapshot = isSnapshot(req);
                if (body == null) {
                    body = snapshot ? new byte[0] : readBody(req);
                    client = ClientAddress.of(req, forwardedForConfig, proofs).address();
                }
                Duration limit = snapshot ? SNAPSHOT_TIMEOUT : maxRequestDuration;
                String limitName = snapshot ? "the bound of snapshot requests" : "the listener's max_request_duration";
                if (System.nanoTime() - (started + limit.toNanos()) > 0) {
                    return noActiveNode("no active node could be reached within " + limit.toMillis() + " ms ("
                            + limitName + "); the request was not sent; retry");
                }
                CompletableFuture<Void> tenureEnded = core.tenureEnded(state);
                if (tenureEnded.isDone()) {
                    continue; // the lock moved since the state was read: look again before sending anything
                }
                InFlight inFlight = new InFlight(state, tenureEnded, started + limit.toNanos(), limit, limitName);
                try {
                    if (snapshot) {
                        relayStream(res, inFlight.await(sendStreaming(req, target, client)), inFlight);
                    } else {
                        relay(res, inFlight.await(send(req, target, body, client)));
                    }
                    return null;
                } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
                    // not delivered: the active node is gone; look for its successor
                    lastFailure = "the active node at " + leader + " does not answer (" + e.getClass().getSimpleName() + ")";
                    if (System.nanoTime() - deadline > 0) {
                        LOG.warn("could not forward {} {} to the active node {}: {}", req.prologue().method().text(),
                                req.path().path(), leader, e.toString());
                        return noActiveNode(lastFailure + "; if it just failed, a standby takes over within seconds: retry");
                    }
                    if (core.refreshLeader().leaderApiAddr().equals(leader)) {
                        Thread.sleep(POLL_MILLIS);
                        core.refreshLeader();
                    }
                } catch (InFlight.Abandoned e) {
                    LOG.warn("gave up forwarding {} {} to {}: {}", req.prologue().method().text(), req.path().path(),
                            leader, e.getMessage());
                    return outcomeUnknown(e.getMessage());
                } catch (IOException e) {
                    // the request may have reached the active node: do not send it again
                    LOG.warn("could not forward {} {} to the active node {}: {}", req.prologue().method().text(),
                            req.path().path(), leader, e.toString());
                    core.refreshLeader();
                    return noActiveNode("the active node at " + leader + " failed while answering (" + e.getClass()
                            .getSimpleName() + "); the request may or may not have been applied");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return noActiveNode("interrupted while forwarding");
        }
    }

    /**
     * One forwarded request on its way: the tenure it was sent to, a signal for when that tenure ends, and the
     * deadline. {@link #await} gives the answer, or cancels the exchange (the connection to the old active node is
     * closed) and throws {@link Abandoned} when the tenure ends or the deadline passes first.
     */
    private final class InFlight {
        private final HaState sentTo;
        private final CompletableFuture<Void> tenureEnded;
        private final long deadlineNanos;
        private final Duration limit;
        private final String limitName;

        /** The forward was given up; the message says why and what the client should do. */
        static final class Abandoned extends Exception {
            Abandoned(String message) {
                super(message, null, false, false);
            }
        }

        InFlight(HaState sentTo, CompletableFuture<Void> tenureEnded, long deadlineNanos, Duration limit,
                 String limitName) {
            this.sentTo = sentTo;
            this.tenureEnded = tenureEnded;
            this.deadlineNanos = deadlineNanos;
            this.limit = limit;
            this.limitName = limitName;
        }

        <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> call)
                throws IOException, InterruptedException, Abandoned {
            try {
                CompletableFuture.anyOf(call, tenureEnded).get(Math.max(0, deadlineNanos - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                throw new Abandoned("the active node at " + sentTo.leaderApiAddr() + " did not answer within "
                        + limit.toMillis() + " ms (" + limitName + ")" + NOT_RESENT);
            } catch (ExecutionException e) {
                // the call failed: its own exception is thrown below
            } catch (InterruptedException e) {
                call.cancel(true);
                throw e;
            }
            if (call.isDone() && !call.isCancelled()) {
                try {
                    return call.get();
                } catch (ExecutionException e) {
                    throw unwrap(e.getCause());
                }
            }
            call.cancel(true);
            throw movedAway();
        }

        /** Cuts a streamed answer short when the tenure ends; see {@link #relayStream}. */
        void onTenureEnded(Runnable action) {
            tenureEnded.thenRun(action);
        }

        Abandoned movedAway() {
            HaState now = core.haState();
            String successor = now.self() || now.leader() != null && now.leader().nodeId().equals(core.nodeId())
                    ? "this node" : now.leader() == null ? "another node" : now.leaderApiAddr();
            return new Abandoned("the active node changed while the request was in flight: " + sentTo.leaderApiAddr()
                    + " (lock generation " + sentTo.leaderGeneration() + ") was replaced by " + successor
                    + (now.leaderGeneration() > 0 ? " (generation " + now.leaderGeneration() + ")" : "") + NOT_RESENT);
        }
    }

    private static final String NOT_RESENT = "; the request was not sent again and may or may not have been applied:"
            + " read the data back before retrying a request that is not idempotent";

    private static IOException unwrap(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IOException(cause);
    }

    /**
     * Sends the request on, with this node's address for the client appended to {@code X-Forwarded-For} and a
     * {@link ForwardingProof} that lets the active node trust {@code client} (this node's view of the client:
     * the socket peer, or what a proxy in this listener's {@code x_forwarded_for_authorized_addrs} named).
     */
    private CompletableFuture<HttpResponse<byte[]>> send(ServerRequest req, String target, byte[] body, String client) {
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(target))
                .method(req.prologue().method().text(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.sendAsync(withHeaders(out, req, client).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Snapshot save and restore: the archive holds the whole vault, so it is streamed both ways instead of held in
     * memory, the restore's upload is exempt from max_request_size (as on the active node, see RawBodyRoutes), and
     * the answer may take as long as the restore does.
     */
    private static boolean isSnapshot(ServerRequest req) {
        String path = req.path().path();
        return path.startsWith("/v1/") && RawBodyRoutes.PATHS.contains(path.substring(4));
    }

    private CompletableFuture<HttpResponse<InputStream>> sendStreaming(ServerRequest req, String target, String client) {
        HttpRequest.BodyPublisher upload = req.content().hasEntity()
                ? HttpRequest.BodyPublishers.ofInputStream(() -> req.content().inputStream())
                : HttpRequest.BodyPublishers.noBody();
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(target))
                .method(req.prologue().method().text(), upload);
        return http.sendAsync(withHeaders(out, req, client).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * Once the status is sent a failure cannot change it: the connection is cut, and the archive checks catch it.
     * That includes the end of the tenure the answer comes from: the relaying thread is interrupted, which fails its
     * read (ending the stream quietly instead would pass a truncated archive off as complete).
     */
    private static void relayStream(ServerResponse res, HttpResponse<InputStream> answer, InFlight inFlight) {
        Thread relaying = Thread.currentThread();
        boolean[] state = new boolean[2]; // [0] relaying, [1] interrupted because the tenure ended
        state[0] = true;
        inFlight.onTenureEnded(() -> {
            synchronized (state) {
                if (state[0]) {
                    state[1] = true;
                    relaying.interrupt();
                }
            }
        });
        try (InputStream body = answer.body()) {
            res.status(answer.statusCode());
            relayHeaders(res, answer);
            try (java.io.OutputStream os = res.outputStream()) {
                body.transferTo(os);
            }
        } catch (IOException e) {
            LOG.warn("relaying the active node's snapshot answer failed part way{}: {}",
                    state[1] ? " (the active node changed meanwhile)" : "", e.getMessage());
            throw new java.io.UncheckedIOException(e);
        } finally {
            synchronized (state) {
                state[0] = false;
                if (state[1]) {
                    Thread.interrupted(); // no interrupt arrives after this block: it is only sent inside one
                }
            }
        }
    }

    /**
     * Copies the client's headers, appends this node's view of the client to {@code X-Forwarded-For} and adds a
     * {@link ForwardingProof} that lets the active node trust {@code client} (the socket peer, or what a proxy in
     * this listener's {@code x_forwarded_for_authorized_addrs} named).
     */
    private HttpRequest.Builder withHeaders(HttpRequest.Builder out, ServerRequest req, String client) {
        for (Header h : req.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (!NOT_RELAYED.contains(name) && !name.equals("x-forwarded-for")
                    && !name.equals(ForwardingProof.HEADER.lowerCase())) {
                h.allValues().forEach(v -> out.header(h.name(), v));
            }
        }
        String prior = ClientAddress.chain(req);
        String peer = ClientAddress.peer(req);
        String chain = prior == null ? peer : prior + ", " + peer;
        out.header(FORWARDED_FOR.defaultCase(), chain);
        try {
            out.header(ForwardingProof.HEADER.defaultCase(), proofs.make(req.prologue().method().text(),
                    ClientAddress.target(req), client, chain));
        } catch (RuntimeException e) {
            // sealed meanwhile: the active node then records this node's address, which is still true
            LOG.debug("forwarding without a proof: {}", e.toString());
        }
        return out;
    }

    private static void relay(ServerResponse res, HttpResponse<byte[]> answer) {
        res.status(answer.statusCode());
        relayHeaders(res, answer);
        byte[] bytes = answer.body();
        if (bytes == null || bytes.length == 0) {
            res.send();
        } else {
            res.send(bytes);
        }
    }

    private static void relayHeaders(ServerResponse res, HttpResponse<?> answer) {
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                res.header(HeaderNames.create(name), values.toArray(String[]::new));
            }
        });
    }

    private byte[] readBody(ServerRequest req) {
        if (maxRequestSize > 0 && req.headers().contentLength().orElse(0) > maxRequestSize) {
            throw new ApiHandler.PayloadTooLarge(maxRequestSize);
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = maxRequestSize > 0 ? in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestSize + 1))
                    : in.readAllBytes();
            if (maxRequestSize > 0 && bytes.length > maxRequestSize) {
                throw new ApiHandler.PayloadTooLarge(maxRequestSize);
            }
            return bytes;
        } catch (IOException e) {
            throw new dev.coffer.CofferException.BadRequest("could not read the request body: " + e.getMessage());
        }
    }

    private static ApiResponse noActiveNode(String why) {
        return new ApiResponse(503, ApiHandler.errors("no active node in the cluster: " + why));
    }

    private static ApiResponse outcomeUnknown(String why) {
        return new ApiResponse(503, ApiHandler.errors(why));
    }

    private static String rawQuery(ServerRequest req) {
        String q = req.query().rawValue();
        return q == null || q.isEmpty() ? "" : "?" + q;
    }

    private static String stripSlash(String addr) {
        return addr.endsWith("/") ? addr.substring(0, addr.length() - 1) : addr;
    }
}
