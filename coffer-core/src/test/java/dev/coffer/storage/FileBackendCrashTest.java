package dev.coffer.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real writer process with SIGKILL in the middle of its writes and checks that what it left on disk
 * is never torn and that every acknowledged write is there. SIGKILL keeps the page cache, so this proves
 * atomicity of the rename protocol, not the fsyncs (which only matter on power loss).
 */
class FileBackendCrashTest {

    private static final int RUNS = 4;

    @TempDir
    Path base;

    @Test
    @Timeout(30)
    void killedWriterNeverLeavesTornValuesOrTempFiles() throws Exception {
        Random random = new Random();
        Path root = base.resolve("store");
        Map<String, Long> acknowledged = new HashMap<>();
        for (int run = 0; run < RUNS; run++) {
            killWriterAfter(root, run * 1_000_000L, 20 + random.nextInt(40), acknowledged);

            FileBackend reopened = new FileBackend(root);

            assertThat(tempFiles(root)).as("temp files after reopening").isEmpty();
            assertThat(reopened.list("crash/")).isSubsetOf("k0", "k1", "deep/");
            assertThat(reopened.list("crash/deep/")).isSubsetOf("k2", "k3");
            for (String key : CrashWriterMain.KEYS) {
                assertCompleteAndAtLeastAcknowledged(reopened, key, acknowledged.get(key));
            }
        }
    }

    private static void assertCompleteAndAtLeastAcknowledged(FileBackend backend, String key, Long acked)
            throws Exception {
        var value = backend.get(key);
        if (acked != null) {
            assertThat(value).as("acknowledged write of %s", key).isPresent();
        }
        if (value.isPresent()) {
            var seq = CrashWriterMain.verify(value.get());
            assertThat(seq).as("value of %s is complete", key).isPresent();
            assertThat(seq.get()).as("sequence of %s", key).isGreaterThanOrEqualTo(acked == null ? 0 : acked);
        }
    }

    /**
     * Starts a writer, lets it acknowledge {@code writes} puts, then kills it with SIGKILL. Each run starts its
     * sequence numbers above the previous run's, so an old value can never pass for a lost acknowledged one.
     */
    private static void killWriterAfter(Path root, long firstSeq, int writes, Map<String, Long> acknowledged) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), CrashWriterMain.class.getName(), root.toString(),
                String.valueOf(firstSeq))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            for (int seen = 0; seen < writes; seen++) {
                String line = out.readLine();
                assertThat(line).as("writer output (did the child JVM start?)").isNotNull();
                String[] parts = line.split(" ");
                acknowledged.put(parts[0], Long.parseLong(parts[1]));
            }
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("writer died").isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    private static List<Path> tempFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
