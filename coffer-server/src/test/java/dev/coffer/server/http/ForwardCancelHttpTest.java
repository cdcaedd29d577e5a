package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.core.InitRequest;
import dev.coffer.core.InitResult;
import dev.coffer.server.Listener;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.storage.InmemHaCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A standby's forward to an active node that stops answering (paused, like SIGSTOP): it is abandoned with a 503
 * as soon as the HA lock moves to another tenure, or when the listener's {@code max_request_duration} passes, and
 * it is never sent again. The paused active node is an HTTP server that takes requests and never answers, named
 * by the lock value of a real core that holds the lock in an in-memory HA store. A relayed snapshot stream is cut
 * when the lock moves.
 */
@Timeout(60)
class ForwardCancelHttpTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String POLICY = "{\"policy\":\"path \\\"secret/*\\\" { capabilities = [\\\"read\\\"] }\"}";

    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final InmemHaCluster store = new InmemHaCluster();
    private InitResult init;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
    }

    /** What a {@link FakeActive} does with a request. */
    enum Mode {
        /** answers at once */
        ANSWERS,
        /** never answers until closed (paused, like SIGSTOP) */
        PAUSED,
        /** sends the status and the first {@link FakeActive#SNAPSHOT_PART} bytes of a chunked body, then stops */
        STALLS_MID_STREAM
    }

    /** Stands in for an active node at {@link #address()}: records every request and handles it as its mode says. */
    static final class FakeActive implements AutoCloseable {
        static final int SNAPSHOT_PART = 64 * 1024;
        final List<String> received = new CopyOnWriteArrayList<>();
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final CountDownLatch resumed = new CountDownLatch(1);

        FakeActive(Mode mode) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                if (mode == Mode.STALLS_MID_STREAM) {
                    exchange.getResponseHeaders().add("Content-Type", "application/gzip");
                    exchange.sendResponseHeaders(200, 0); // chunked
                    exchange.getResponseBody().write(new byte[SNAPSHOT_PART]);
                    exchange.getResponseBody().flush();
                }
                if (mode != Mode.ANSWERS) {
                    try {
                        resumed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (mode == Mode.STALLS_MID_STREAM) {
                    exchange.close();
                    return;
                }
                byte[] body = "{\"data\":{\"from\":\"fake active\"}}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String address() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            resumed.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    record Reply(int status, JsonNode body, long millis) {
        String errors() {
            return body == null ? "" : body.path("errors").toString();
        }
    }

    private static Reply send(int port, String method, String path, String token, String body) throws Exception {
        long start = System.nanoTime();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/" + path))
                    .timeout(Duration.ofSeconds(30)).header("X-Vault-Token", token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body().isBlank() ? null : M.readTree(r.body()),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static CompletableFuture<Reply> sendAsync(int port, String method, String path, String token, String body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return send(port, method, path, token, body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** An unsealed HA core whose lock value names {@code apiAddr}. */
    private Core node(String apiAddr) {
        Core core = new Core(new CoreOptions(store.node(), "inmem", null, apiAddr, null, null, null, null, null, null));
        closeLater.add(core::close);
        if (init == null) {
            init = core.init(new InitRequest(1, 1, 0, 0));
        }
        core.unseal(Base64.getEncoder().encodeToString(init.keys().get(0)));
        return core;
    }

    /** The active core, whose address is the paused fake, and a standby behind a real listener on the port returned. */
    private int activeAndStandby(FakeActive paused, Duration maxRequestDuration) throws IOException {
        Core a = node(paused.address());
        await().atMost(WAIT).until(() -> a.haState().self());
        int port = freePort();
        Core b = node("http://127.0.0.1:" + port);
        Listener listener = Listener.start(new ListenerConfig("tcp", "127.0.0.1:" + port, null, true, null, null, "tls12",
                null, 1 << 20, maxRequestDuration), b, "http://127.0.0.1:" + port, null);
        closeLater.add(listener::close);
        await().atMost(WAIT).until(() -> b.standby() && paused.address().equals(b.haState().leaderApiAddr()));
        return port;
    }

    private FakeActive fake(boolean paused) throws IOException {
        return fake(paused ? Mode.PAUSED : Mode.ANSWERS);
    }

    private FakeActive fake(Mode mode) throws IOException {
        FakeActive fake = new FakeActive(mode);
        closeLater.add(fake);
        return fake;
    }

    @Test
    void aStandbyThatTakesTheLockAnswersItsForwardToThePausedActiveWith503AndNeverResendsIt() throws Exception {
        FakeActive paused = fake(true);
        int standby = activeAndStandby(paused, ListenerConfig.DEFAULT_MAX_REQUEST_DURATION);
        String root = init.rootToken();
        CompletableFuture<Reply> inFlight = sendAsync(standby, "PUT", "sys/policies/acl/first", root, POLICY);
        await().atMost(WAIT).until(() -> paused.received.size() == 1);
        assertThat(inFlight).as("the paused node does not answer").isNotDone();

        long moved = System.nanoTime();
        store.expireLease(false); // the paused node's lease ran out; the standby takes the lock on its next attempt

        Reply reply = inFlight.get(10, TimeUnit.SECONDS);
        long afterMove = (System.nanoTime() - moved) / 1_000_000;
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(503);
        assertThat(reply.errors()).contains("active node changed while the request was in flight")
                .contains(paused.address()).contains("replaced by this node").contains("not sent again")
                .contains("may or may not have been applied");
        assertThat(afterMove).as("ms from the lock move to the 503").isLessThan(5_000);
        assertThat(paused.received).containsExactly("PUT /v1/sys/policies/acl/first");

        Reply readBack = send(standby, "GET", "sys/policies/acl/first", root, null);
        assertThat(readBack.status()).as("the new active node never got the abandoned request: %s", readBack.body())
                .isEqualTo(404);
        assertThat(send(standby, "PUT", "sys/policies/acl/second", root, POLICY).status()).as("served by the new active")
                .isEqualTo(204);
        assertThat(paused.received).hasSize(1);
    }

    @Test
    void aStandbyAbandonsItsForwardWhenAnotherNodeTakesTheLockAndForwardsNewRequestsThere() throws Exception {
        FakeActive paused = fake(true);
        FakeActive successor = fake(false);
        int standby = activeAndStandby(paused, ListenerConfig.DEFAULT_MAX_REQUEST_DURATION);
        String root = init.rootToken();
        CompletableFuture<Reply> inFlight = sendAsync(standby, "PUT", "sys/policies/acl/first", root, POLICY);
        await().atMost(WAIT).until(() -> paused.received.size() == 1);

        long moved = System.nanoTime();
        store.takeOverBy("c", "{\"api_addr\":\"" + successor.address() + "\",\"node_id\":\"c\"}");

        Reply reply = inFlight.get(10, TimeUnit.SECONDS);
        long afterMove = (System.nanoTime() - moved) / 1_000_000;
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(503);
        assertThat(reply.errors()).contains("active node changed while the request was in flight")
                .contains("replaced by " + successor.address()).contains("not sent again");
        assertThat(afterMove).as("ms from the lock move to the 503").isLessThan(5_000);
        assertThat(successor.received).as("the abandoned request is not sent to the new active node").isEmpty();

        Reply next = send(standby, "PUT", "sys/policies/acl/second", root, POLICY);
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body().at("/data/from").asText()).isEqualTo("fake active");
        assertThat(successor.received).containsExactly("PUT /v1/sys/policies/acl/second");
        assertThat(paused.received).containsExactly("PUT /v1/sys/policies/acl/first");
    }

    /**
     * A snapshot is streamed through: once its status is sent, the end of the active node's tenure can only cut the
     * connection. The client must see the stream fail, never a clean end of a truncated archive.
     */
    @Test
    void aSnapshotStreamRelayedByAStandbyIsCutWhenTheLockMoves() throws Exception {
        FakeActive stalling = fake(Mode.STALLS_MID_STREAM);
        int standby = activeAndStandby(stalling, ListenerConfig.DEFAULT_MAX_REQUEST_DURATION);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<java.io.InputStream> answer = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + standby + "/v1/sys/storage/raft/snapshot"))
                    .header("X-Vault-Token", init.rootToken()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(answer.statusCode()).isEqualTo(200);
            try (java.io.InputStream body = answer.body()) {
                // the standby's response stream may still buffer the last few KiB it relayed: read a quarter
                assertThat(body.readNBytes(FakeActive.SNAPSHOT_PART / 4)).as("the start of what the active node sent")
                        .hasSize(FakeActive.SNAPSHOT_PART / 4);
                CompletableFuture<Object> rest = CompletableFuture.supplyAsync(() -> {
                    try {
                        return body.readAllBytes().length; // a clean end: the truncated archive passed as complete
                    } catch (IOException e) {
                        return e;
                    }
                });
                Thread.sleep(300);
                assertThat(rest).as("the stream stays open while the active node holds the lock").isNotDone();

                long moved = System.nanoTime();
                store.expireLease(false);

                Object end = rest.get(10, TimeUnit.SECONDS);
                assertThat(end).as("how the client's stream ended").isInstanceOf(IOException.class);
                assertThat((System.nanoTime() - moved) / 1_000_000).as("ms from the lock move to the cut")
                        .isLessThan(5_000);
            }
        }
        assertThat(stalling.received).containsExactly("GET /v1/sys/storage/raft/snapshot");
    }

    @Test
    void aForwardToAnActiveNodeThatNeverAnswersEndsAfterMaxRequestDuration() throws Exception {
        FakeActive paused = fake(true);
        int standby = activeAndStandby(paused, Duration.ofMillis(1500));
        String root = init.rootToken();

        Reply reply = send(standby, "PUT", "sys/policies/acl/first", root, POLICY);

        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(503);
        assertThat(reply.errors()).contains("did not answer within 1500 ms").contains("max_request_duration")
                .contains("not sent again");
        assertThat(reply.millis()).isBetween(1_400L, 10_000L);
        assertThat(paused.received).containsExactly("PUT /v1/sys/policies/acl/first");
    }
}
