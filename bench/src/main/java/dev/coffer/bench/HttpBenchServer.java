package dev.coffer.bench;

import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.server.Listener;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.storage.InmemBackend;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Starts, in one JVM, an unsealed Coffer API listener and a bare Helidon handler that answers a fixed JSON
 * body of the same size as {@code sys/health}: the ceiling for the HTTP benchmarks. Prints both ports, then
 * waits. {@code bench/http-bench.sh} drives them with wrk.
 */
public final class HttpBenchServer {
    private HttpBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        Core.DevInit dev = core.devInit(null);
        Listener coffer = Listener.start(new ListenerConfig("tcp", "127.0.0.1:0", null, true, null, null, "tls12", null,
                32L << 20, Duration.ofSeconds(90)), core, "http://127.0.0.1", null);
        byte[] body = ("{\"initialized\":true,\"sealed\":false,\"standby\":false,\"performance_standby\":false,"
                + "\"replication_performance_mode\":\"disabled\",\"replication_dr_mode\":\"disabled\","
                + "\"server_time_utc\":1764400000,\"version\":\"0.1.0\",\"cluster_name\":\"coffer-cluster-0000\","
                + "\"cluster_id\":\"00000000-0000-0000-0000-000000000000\"}").getBytes(StandardCharsets.UTF_8);
        WebServer bare = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(r -> r.any((req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send(body);
                })).build().start();
        System.out.println("coffer=" + coffer.port());
        System.out.println("token=" + dev.rootToken()); // a throwaway in-memory dev server's token, for kv-bench.sh
        System.out.println("bare=" + bare.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
