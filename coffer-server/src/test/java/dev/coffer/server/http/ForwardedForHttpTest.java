package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.core.InitRequest;
import dev.coffer.core.InitResult;
import dev.coffer.server.Listener;
import dev.coffer.server.config.AddressRange;
import dev.coffer.server.config.ForwardedForConfig;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.InmemHaCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which client address the audit log records: the socket peer, unless a standby of this cluster (with its
 * forwarding proof) or a proxy in {@code x_forwarded_for_authorized_addrs} names another. Clients connect from
 * 127.0.0.2 / 127.0.0.3 (Linux routes all of 127/8 to loopback) so the addresses differ from the nodes' 127.0.0.1.
 */
class ForwardedForHttpTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
    }

    record Reply(int status, JsonNode body) {
    }

    /** One request from a socket bound to the local address {@code from}. */
    static Reply send(String from, int port, String method, String path, String token, String body,
                      Map<String, String> headers) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().localAddress(InetAddress.getByName(from))
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/" + path))
                    .timeout(Duration.ofSeconds(20))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                b.header("X-Vault-Token", token);
            }
            headers.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body().isBlank() ? null : M.readTree(r.body()));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Listener listen(Core core, int port, ForwardedForConfig forwardedFor) {
        Listener l = Listener.start(new ListenerConfig("tcp", "127.0.0.1:" + port, null, true, null, null, "tls12", null,
                4096, Duration.ofSeconds(90), forwardedFor), core, "http://127.0.0.1:" + port, null);
        closeLater.add(l::close);
        return l;
    }

    private static List<JsonNode> requestsFor(Path log, String path) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                JsonNode n = M.readTree(line);
                if (n.get("type").asText().equals("request") && n.at("/request/path").asText().equals(path)) {
                    out.add(n.get("request"));
                }
            }
        }
        return out;
    }

    private JsonNode awaitAudited(Path log, String path) {
        JsonNode[] found = new JsonNode[1];
        await("audit entry for " + path).atMost(WAIT).ignoreExceptions().until(() -> {
            List<JsonNode> r = requestsFor(log, path);
            found[0] = r.isEmpty() ? null : r.get(0);
            return found[0] != null;
        });
        return found[0];
    }

    // ---- an HA pair: the standby forwards, the active audits ------------------------------------------------

    private final InmemHaCluster store = new InmemHaCluster();
    private InitResult init;

    private Core haNode(int port) {
        Core core = new Core(new CoreOptions(store.node(), "inmem", null, "http://127.0.0.1:" + port,
                "https://127.0.0.1:" + (port + 1), null, null, null, null, null));
        closeLater.add(core::close);
        if (init == null) {
            init = core.init(new InitRequest(1, 1, 0, 0));
        }
        return core;
    }

    @Test
    void aRequestForwardedByAStandbyIsAuditedWithTheAddressTheStandbySaw() throws Exception {
        int pa = freePort();
        int pb = freePort();
        Core a = haNode(pa);
        listen(a, pa, ForwardedForConfig.NONE);
        a.unseal(Base64.getEncoder().encodeToString(init.keys().get(0)));
        await().atMost(WAIT).until(() -> a.haState().self());
        Core b = haNode(pb);
        listen(b, pb, ForwardedForConfig.NONE);
        b.unseal(Base64.getEncoder().encodeToString(init.keys().get(0)));
        await().atMost(WAIT).until(() -> b.standby() && b.haState().leader() != null);
        String root = init.rootToken();
        Path log = dir.resolve("audit.log");
        assertThat(send("127.0.0.1", pa, "PUT", "sys/audit/file", root, "{\"type\":\"file\",\"options\":{\"file_path\":\""
                + log + "\"}}", Map.of()).status()).isEqualTo(204);
        assertThat(send("127.0.0.1", pa, "POST", "sys/mounts/secret", root,
                "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}", Map.of()).status()).isEqualTo(204);

        Reply viaStandby = send("127.0.0.2", pb, "PUT", "secret/data/one", root, "{\"data\":{\"v\":\"1\"}}", Map.of());
        assertThat(viaStandby.status()).as("%s", viaStandby.body()).isEqualTo(200);
        JsonNode forwarded = awaitAudited(log, "secret/data/one");
        assertThat(forwarded.get("remote_address").asText()).as("the client, not the standby").isEqualTo("127.0.0.2");
        assertThat(forwarded.at("/headers/x-forwarded-for/0").asText()).isEqualTo("127.0.0.2");

        // the client's own header is passed on in the chain but never believed
        Reply spoofedViaStandby = send("127.0.0.2", pb, "PUT", "secret/data/two", root, "{\"data\":{\"v\":\"2\"}}",
                Map.of("X-Forwarded-For", "203.0.113.9"));
        assertThat(spoofedViaStandby.status()).isEqualTo(200);
        JsonNode two = awaitAudited(log, "secret/data/two");
        assertThat(two.get("remote_address").asText()).isEqualTo("127.0.0.2");
        assertThat(two.at("/headers/x-forwarded-for/0").asText()).isEqualTo("203.0.113.9, 127.0.0.2");

        // straight to the active node: neither a header nor a made-up proof is believed
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("X-Forwarded-For", "203.0.113.9");
        forged.put("X-Coffer-Forwarding-Proof", Base64.getUrlEncoder().encodeToString(new byte[64]));
        assertThat(send("127.0.0.3", pa, "PUT", "secret/data/three", root, "{\"data\":{\"v\":\"3\"}}", forged).status())
                .isEqualTo(200);
        JsonNode three = awaitAudited(log, "secret/data/three");
        assertThat(three.get("remote_address").asText()).isEqualTo("127.0.0.3");
        assertThat(three.has("headers")).isFalse();

        // a genuine proof made by a node of another vault (another keyring) does not open here either
        Core stranger = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        closeLater.add(stranger::close);
        stranger.devInit(null);
        String proof = new ForwardingProof(stranger, Clock.systemUTC()).make("PUT", "/v1/secret/data/four",
                "198.51.100.1", "198.51.100.1");
        assertThat(send("127.0.0.3", pa, "PUT", "secret/data/four", root, "{\"data\":{\"v\":\"4\"}}",
                Map.of("X-Forwarded-For", "198.51.100.1", "X-Coffer-Forwarding-Proof", proof)).status()).isEqualTo(200);
        assertThat(awaitAudited(log, "secret/data/four").get("remote_address").asText()).isEqualTo("127.0.0.3");
    }

    @Test
    void aProofOpensOnlyForItsOwnRequestAndWhileFresh() {
        Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        closeLater.add(core::close);
        core.devInit(null);
        Clock now = Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.ZoneOffset.UTC);
        String proof = new ForwardingProof(core, now).make("PUT", "/v1/secret/data/x", "192.0.2.1", "192.0.2.1");
        ForwardingProof checker = new ForwardingProof(core, now);
        assertThat(checker.check(proof, "PUT", "/v1/secret/data/x", "192.0.2.1")).map(ForwardingProof.Claim::client)
                .contains("192.0.2.1");
        assertThat(checker.check(proof, "PUT", "/v1/secret/data/y", "192.0.2.1")).as("another path").isEmpty();
        assertThat(checker.check(proof, "DELETE", "/v1/secret/data/x", "192.0.2.1")).as("another method").isEmpty();
        assertThat(checker.check(proof, "PUT", "/v1/secret/data/x", "192.0.2.7")).as("another chain").isEmpty();
        ForwardingProof later = new ForwardingProof(core, Clock.offset(now, Duration.ofSeconds(61)));
        assertThat(later.check(proof, "PUT", "/v1/secret/data/x", "192.0.2.1")).as("too old").isEmpty();
        byte[] raw = Base64.getUrlDecoder().decode(proof);
        raw[raw.length - 1] ^= 1;
        assertThat(checker.check(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), "PUT", "/v1/secret/data/x",
                "192.0.2.1")).as("altered").isEmpty();
    }

    // ---- x_forwarded_for_* on a listener (a load balancer in front) -------------------------------------------

    @Test
    void authorizedProxiesNameTheClientOthersAreIgnoredOrRefused() throws Exception {
        Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        closeLater.add(core::close);
        String root = core.devInit(null).rootToken();
        int strict = freePort();
        int skipping = freePort();
        listen(core, strict, new ForwardedForConfig(List.of(AddressRange.parse("127.0.0.2/32")), 0, true, false));
        listen(core, skipping, new ForwardedForConfig(List.of(AddressRange.parse("127.0.0.0/8")), 1, false, true));
        Path log = dir.resolve("lb.log");
        assertThat(send("127.0.0.1", skipping, "PUT", "sys/audit/file", root, "{\"type\":\"file\",\"options\":"
                + "{\"file_path\":\"" + log + "\"}}", Map.of("X-Forwarded-For", "10.1.1.1, 10.2.2.2")).status())
                .isEqualTo(204);
        String chain = "198.51.100.4, 203.0.113.9";

        assertThat(send("127.0.0.2", strict, "GET", "sys/mounts", root, null, Map.of("X-Forwarded-For", chain)).status())
                .isEqualTo(200);
        JsonNode trusted = awaitAudited(log, "sys/mounts");
        assertThat(trusted.get("remote_address").asText()).as("last hop of an authorized proxy").isEqualTo("203.0.113.9");
        assertThat(trusted.at("/headers/x-forwarded-for/0").asText()).isEqualTo(chain);

        Reply notAuthorized = send("127.0.0.3", strict, "GET", "sys/auth", root, null,
                Map.of("X-Forwarded-For", chain));
        assertThat(notAuthorized.status()).isEqualTo(403);
        assertThat(notAuthorized.body().toString()).contains("x_forwarded_for_reject_not_authorized");

        assertThat(send("127.0.0.2", strict, "GET", "sys/audit", root, null, Map.of()).status()).isEqualTo(200);
        assertThat(awaitAudited(log, "sys/audit").get("remote_address").asText()).as("no header: the peer")
                .isEqualTo("127.0.0.2");

        assertThat(send("127.0.0.3", skipping, "GET", "sys/key-status", root, null, Map.of("X-Forwarded-For", chain)).status())
                .isEqualTo(200);
        assertThat(awaitAudited(log, "sys/key-status").get("remote_address").asText()).as("one hop skipped")
                .isEqualTo("198.51.100.4");
        Reply missing = send("127.0.0.3", skipping, "GET", "sys/key-status", root, null, Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().toString()).contains("x_forwarded_for_reject_not_present");
        Reply tooShort = send("127.0.0.3", skipping, "GET", "sys/key-status", root, null, Map.of("X-Forwarded-For", "192.0.2.5"));
        assertThat(tooShort.status()).isEqualTo(400);
    }
}
