package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The harness's timeouts fail with thread dumps of the processes involved, so a hang can be diagnosed afterwards. */
@Timeout(300)
class HarnessThreadDumpTest {

    @TempDir
    Path dir;

    private CofferProcess server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthWaitAndCliTimeouts_failWithThreadDumpsOfTheServerAndTheCli_savedUnderTarget() throws Exception {
        int port = CofferProcess.freePort();
        Path config = CofferProcess.writeConfig(dir, port, "");
        // the server listens on its port while the harness polls another one, where nothing answers
        server = CofferProcess.launch(dir, "http://127.0.0.1:" + CofferProcess.freePort(),
                List.of("server", "-config=" + config));
        try (RawHttp direct = new RawHttp("http://127.0.0.1:" + port)) {
            await("the server's own port").atMost(CofferProcess.START_DEADLINE).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> direct.get("sys/health", null).status() > 0);
        }
        AssertionError health = catchThrowableOfType(AssertionError.class,
                () -> server.awaitHealth(null, Duration.ofSeconds(3)));
        assertThat(health).isNotNull();
        assertThat(health.getMessage()).contains("did not answer", "--- thread dump of coffer server");
        assertDumpOf(health.getMessage(), server.pid(), "\"server-@default-listener\""); // Helidon's accept thread

        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // connections complete in the backlog and the request is sent, but no answer ever comes
            Cli cli = new Cli(dir, "http://127.0.0.1:" + silent.getLocalPort()).withTimeout(Duration.ofSeconds(4));
            long started = System.nanoTime();
            AssertionError timeout = catchThrowableOfType(AssertionError.class, () -> cli.run("status"));
            assertThat(timeout).isNotNull();
            assertThat(timeout.getMessage()).contains("[status] did not finish within 4s",
                    "--- thread dump of coffer cli", "--- thread dump of coffer server");
            // the client's main thread waits for the answer inside the JDK's HTTP client
            Matcher cliDump = Pattern.compile("--- thread dump of coffer cli \\(pid (\\d+)\\) saved to (\\S+) ---")
                    .matcher(timeout.getMessage());
            assertThat(cliDump.find()).as(timeout.getMessage()).isTrue();
            assertThat(Files.readString(Path.of(cliDump.group(2)))).contains("\"main\"", "java.net.http");
            assertDumpOf(timeout.getMessage(), server.pid(), "\"server-@default-listener\"");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        }
    }

    /** The message names the dump file of {@code pid}, which is under target/thread-dumps and holds {@code text}. */
    private static void assertDumpOf(String message, long pid, String text) throws Exception {
        Matcher m = Pattern.compile("\\(pid " + pid + "\\) saved to (\\S+) ---").matcher(message);
        assertThat(m.find()).as("dump of pid %d in\n%s", pid, message).isTrue();
        Path file = Path.of(m.group(1));
        assertThat(file.getParent()).isEqualTo(ThreadDumps.directory());
        String dump = Files.readString(file);
        assertThat(dump).contains(text);
        assertThat(message).contains(dump);
    }
}
