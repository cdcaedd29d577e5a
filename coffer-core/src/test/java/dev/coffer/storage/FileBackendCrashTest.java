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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real writer process with SIGKILL in the middle of its writes and checks that what it left on disk
 * is never torn and that every acknowledged write is there; a reader running alongside checks that no value
 * is ever seen half-written either. SIGKILL keeps the page cache, so this proves
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
            List<String> tornWhileRunning = new CopyOnWriteArrayList<>();
            FileBackend reader = new FileBackend(root); // opened before the writer starts: its sweep cannot interfere
            Thread readerThread = Thread.ofPlatform().start(() -> readUntilInterrupted(reader, tornWhileRunning));
            try {
                killWriterAfter(root, run * 1_000_000L, 10 + random.nextInt(30), acknowledged);
            } finally {
                readerThread.interrupt();
                readerThread.join();
            }
            assertThat(tornWhileRunning).as("values a concurrent reader saw torn").isEmpty();

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

    /** Reads every key in a loop, recording any value that is not complete. */
    private static void readUntilInterrupted(FileBackend reader, List<String> torn) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (String key : CrashWriterMain.KEYS) {
                    var value = reader.get(key);
                    if (value.isPresent() && CrashWriterMain.verify(value.get()).isEmpty()) {
                        torn.add(key + " (" + value.get().length + " bytes)");
                    }
                }
            }
        } catch (Exception e) {
            torn.add("reader failed: " + e);
        }
    }

    /**
     * Starts a writer and kills it with SIGKILL the moment its {@code writes}-th put begins, so the kill lands
     * inside a write rather than between writes. Each run starts its
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
            int started = 0;
            while (started < writes) {
                String line = out.readLine();
                assertThat(line).as("writer output (did the child JVM start?)").isNotNull();
                String[] parts = line.split(" ");
                if (parts[0].equals(">")) {
                    started++;
                } else {
                    acknowledged.put(parts[1], Long.parseLong(parts[2]));
                }
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
