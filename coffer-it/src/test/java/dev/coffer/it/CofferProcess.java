package dev.coffer.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.awaitility.core.ConditionTimeoutException;

/** A real {@code coffer server} child process with its output captured to files in its work directory. */
final class CofferProcess implements AutoCloseable {

    static final Duration START_DEADLINE = Duration.ofSeconds(90);
    private static final AtomicInteger RUNS = new AtomicInteger();
    /** Servers launched and not closed yet: a CLI call that times out dumps the threads of those still running. */
    private static final Set<CofferProcess> LAUNCHED = ConcurrentHashMap.newKeySet();

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final String address;

    private CofferProcess(Process process, Path stdout, Path stderr, String address) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.address = address;
        LAUNCHED.add(this);
    }

    /** A free loopback port; the tiny race with another process taking it first is acceptable in tests. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file-storage, plain-HTTP configuration to {@code dir/coffer.hcl}; {@code extra} goes in the listener. */
    static Path writeConfig(Path dir, int port, String extraListenerLines) {
        return write(dir.resolve("coffer.hcl"), baseConfig(dir, port, extraListenerLines));
    }

    /**
     * The test servers' common configuration: file storage under {@code dir/data}, a plain-HTTP listener on
     * {@code port} ({@code extraListenerLines} inside it), {@code disable_mlock} and {@code api_addr}. Callers append
     * their seal stanzas or other top-level settings.
     */
    static String baseConfig(Path dir, int port, String extraListenerLines) {
        return """
                storage "file" {
                  path = "%s"
                }
                listener "tcp" {
                  address     = "127.0.0.1:%d"
                  tls_disable = true
                  %s
                }
                disable_mlock = true
                api_addr      = "http://127.0.0.1:%d"
                """.formatted(dir.resolve("data").toString().replace("\\", "\\\\"), port, extraListenerLines, port);
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code coffer <args>} in {@code dir} without waiting for it to listen. */
    static CofferProcess launch(Path dir, String address, List<String> args) {
        return launch(dir, address, List.of(), args);
    }

    /** As {@link #launch(Path, String, List)} with extra JVM options for the child (e.g. {@code -Djavax.net.ssl.trustStore}). */
    static CofferProcess launch(Path dir, String address, List<String> jvmOptions, List<String> args) {
        return launch(dir, address, jvmOptions, Map.of(), args);
    }

    /** As {@link #launch(Path, String, List, List)} with extra environment variables for the child. */
    static CofferProcess launch(Path dir, String address, List<String> jvmOptions, Map<String, String> env,
                                List<String> args) {
        int run = RUNS.incrementAndGet();
        Path home = dir.resolve("home");
        Path out = dir.resolve("server-" + run + ".out");
        Path err = dir.resolve("server-" + run + ".err");
        try {
            Files.createDirectories(home);
            ProcessBuilder builder = new ProcessBuilder(CofferJar.command(home, jvmOptions, args)).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            CofferJar.isolate(builder.environment(), home);
            builder.environment().putAll(env);
            return new CofferProcess(builder.start(), out, err, address);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server from {@code config} and waits until {@code GET /v1/sys/health} answers. */
    static CofferProcess start(Path dir, Path config, int port) {
        return start(dir, config, port, List.of());
    }

    /** As {@link #start(Path, Path, int)} with extra JVM options for the server process. */
    static CofferProcess start(Path dir, Path config, int port, List<String> jvmOptions) {
        return start(dir, config, port, jvmOptions, Map.of());
    }

    /** As {@link #start(Path, Path, int, List)} with extra environment variables for the server process. */
    static CofferProcess start(Path dir, Path config, int port, List<String> jvmOptions, Map<String, String> env) {
        return launch(dir, "http://127.0.0.1:" + port, jvmOptions, env, List.of("server", "-config=" + config))
                .awaitHealth(null);
    }

    /** Waits until health answers with any status; fails early, with the server's output, if the process dies. */
    CofferProcess awaitHealth(SSLContext tls) {
        return awaitHealth(tls, START_DEADLINE);
    }

    /** As {@link #awaitHealth(SSLContext)} within {@code deadline}; on timeout the failure holds a thread dump. */
    CofferProcess awaitHealth(SSLContext tls, Duration deadline) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            builder.sslContext(tls);
        }
        try (HttpClient http = builder.build()) {
            await("health of " + address).atMost(deadline).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("coffer server exited with " + process.exitValue() + " before answering\n" + output());
                }
                try {
                    http.send(HttpRequest.newBuilder(URI.create(address + "/v1/sys/health")).timeout(Duration.ofSeconds(2))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("coffer server at " + address + " did not answer " + address + "/v1/sys/health within "
                    + deadline + "\n" + threadDump() + output(), e);
        }
        return this;
    }

    String address() {
        return address;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the process to end on its own and returns its exit code. */
    int awaitExit(Duration deadline) {
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("coffer did not exit within " + deadline + "\n" + threadDump() + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGTERM, then waits for the shutdown to finish. */
    int stop() {
        process.destroy();
        return awaitExit(Duration.ofSeconds(60));
    }

    /** SIGKILL: no shutdown hook runs, exactly like {@code kill -9}. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(60));
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** A thread dump of this server, saved under target/thread-dumps, as text for a failure message. */
    String threadDump() {
        return ThreadDumps.capture(process.pid(), "coffer server " + address, stdout);
    }

    /** Thread dumps of every server launched here and still running (for a client call that got no answer). */
    static String threadDumpsOfRunningServers() {
        StringBuilder all = new StringBuilder();
        for (CofferProcess p : LAUNCHED) {
            if (p.isAlive()) {
                all.append(p.threadDump());
            }
        }
        return all.isEmpty() ? "--- no coffer server launched by this test is running ---\n" : all.toString();
    }

    /** Both streams, for failure messages. */
    String output() {
        return "--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process if it still runs; safe to call more than once. */
    @Override
    public void close() {
        LAUNCHED.remove(this);
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
