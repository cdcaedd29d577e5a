package dev.coffer.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** N real {@code coffer server} processes sharing one PostgreSQL database with {@code ha_enabled}. */
final class HaCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final List<CofferProcess> nodes = new ArrayList<>();
    private final List<Path> configs = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    record Reply(int status, JsonNode body, Map<String, List<String>> headers) {
    }

    private static final java.util.concurrent.atomic.AtomicInteger CLUSTERS = new java.util.concurrent.atomic.AtomicInteger();

    /** Starts {@code size} nodes on their own pair of tables, so clusters of different tests never meet. */
    static HaCluster start(Path dir, String connectionUrl, int size) {
        HaCluster cluster = new HaCluster();
        String table = "coffer_it_" + ProcessHandle.current().pid() + "_" + CLUSTERS.incrementAndGet();
        for (int i = 0; i < size; i++) {
            int port = CofferProcess.freePort();
            Path nodeDir = dir.resolve("node" + i);
            Path config = CofferProcess.write(nodeDir.resolve("coffer.hcl"), """
                    storage "postgresql" {
                      connection_url = "%s"
                      ha_enabled     = "true"
                      table          = "%s"
                      ha_table       = "%s_ha"
                    }
                    listener "tcp" {
                      address     = "127.0.0.1:%d"
                      tls_disable = true
                    }
                    disable_mlock = true
                    api_addr      = "http://127.0.0.1:%d"
                    cluster_addr  = "https://127.0.0.1:%d"
                    """.formatted(connectionUrl, table, table, port, port, port + 1));
            cluster.configs.add(config);
            cluster.ports.add(port);
            cluster.nodes.add(CofferProcess.start(nodeDir, config, port));
        }
        return cluster;
    }

    static Reply call(String base, String method, String path, String token, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/" + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-Vault-Token", token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isBlank() ? null : JSON.readTree(r.body());
            return new Reply(r.statusCode(), json, r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void unsealAll(List<String> keys) {
        for (CofferProcess node : nodes) {
            unseal(node, keys);
        }
    }

    static void unseal(CofferProcess node, List<String> keys) {
        for (String key : keys) {
            call(node.address(), "PUT", "sys/unseal", null, "{\"key\":\"" + key + "\"}");
        }
    }

    /** Starts node {@code i} again (same configuration and port) after it died; it comes back sealed. */
    CofferProcess restart(int i) {
        nodes.get(i).close();
        Path config = configs.get(i);
        CofferProcess again = CofferProcess.start(config.getParent(), config, ports.get(i));
        nodes.set(i, again);
        return again;
    }

    List<CofferProcess> alive() {
        return nodes.stream().filter(CofferProcess::isAlive).toList();
    }

    static boolean isActive(CofferProcess node) {
        try {
            Reply r = call(node.address(), "GET", "sys/leader", null, null);
            return r.status() == 200 && r.body().path("is_self").asBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Waits until exactly one of the given nodes reports itself active, and returns it. */
    static CofferProcess awaitSingleActive(List<CofferProcess> candidates, Duration within) {
        CofferProcess[] found = new CofferProcess[1];
        await("one active node").atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<CofferProcess> active = candidates.stream().filter(HaCluster::isActive).toList();
            found[0] = active.size() == 1 ? active.get(0) : null;
            return found[0] != null;
        });
        return found[0];
    }

    /**
     * Sends {@code signal} to the node's process. For {@code STOP}, returns only once every thread of the process is
     * stopped: kill(2) returns before that, and on a loaded machine the JVM's threads went on serving requests for
     * milliseconds after it (a CI run saw a write sent after kill(1) returned committed by the "paused" node).
     */
    static void signal(CofferProcess node, String signal) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + node.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (signal.equals("STOP")) {
            await("every thread of " + node.pid() + " stopped").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(1)).until(() -> allThreadsStopped(node.pid()));
        }
    }

    /** Whether every thread of {@code pid} is in state T (stopped), from /proc/PID/task/TID/stat. */
    static boolean allThreadsStopped(long pid) throws IOException {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (NoSuchFileException e) {
                    continue; // the thread ended
                }
                // "tid (comm) S ...": the name may hold spaces and parentheses, the state follows the last ')'
                char state = stat.charAt(stat.lastIndexOf(')') + 2);
                if (state != 'T' && state != 't' && state != 'Z' && state != 'X') { // Z, X: exiting, runs no more
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public void close() {
        nodes.forEach(CofferProcess::close);
    }
}
