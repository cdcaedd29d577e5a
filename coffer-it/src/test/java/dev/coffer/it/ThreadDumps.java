package dev.coffer.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Thread dumps of child JVMs for failure messages, so that a hang shows where every thread waits. Taken with
 * {@code jcmd <pid> Thread.dump_to_file} of the JDK running the tests, which lists virtual threads too (the server
 * serves requests on them; {@code Thread.print} and SIGQUIT show only platform threads), and saved under
 * {@code target/thread-dumps/}. Without a working jcmd it falls back to SIGQUIT, whose dump goes to the child's
 * standard output.
 */
final class ThreadDumps {
    static final Duration JCMD_DEADLINE = Duration.ofSeconds(20);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private ThreadDumps() {
    }

    /** Where dumps are saved: {@code target/thread-dumps} of this module. */
    static Path directory() {
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(base).toAbsolutePath().resolve("target").resolve("thread-dumps");
    }

    /**
     * Dumps the threads of the JVM {@code pid} ({@code what} names it, e.g. "coffer server") and returns text for a
     * failure message: the file it was saved to and its content, or why there is none. Never throws.
     */
    static String capture(long pid, String what, Path stdoutOfChild) {
        String header = "--- thread dump of " + what + " (pid " + pid + ") ";
        try {
            Path dir = Files.createDirectories(directory());
            Path file = dir.resolve(what.replaceAll("[^A-Za-z0-9]+", "-") + "-" + pid + "-"
                    + LocalDateTime.now().format(STAMP) + ".txt");
            String failure = jcmd(pid, file);
            if (failure == null) {
                return header + "saved to " + file + " ---\n" + Files.readString(file, StandardCharsets.UTF_8);
            }
            return header + "not taken with jcmd (" + failure + "); " + sigquit(pid, stdoutOfChild) + " ---\n";
        } catch (IOException | RuntimeException e) {
            return header + "failed: " + e + " ---\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return header + "interrupted ---\n";
        }
    }

    /** Runs jcmd; null when the dump file was written, otherwise what went wrong. */
    private static String jcmd(long pid, Path file) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return jcmd + " not found";
        }
        Path log = file.resolveSibling(file.getFileName() + ".jcmd");
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), "Thread.dump_to_file", "-format=text",
                file.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(JCMD_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "no answer within " + JCMD_DEADLINE.toSeconds() + " s";
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(file)) {
                return "exit " + p.exitValue() + ": " + Files.readString(log, StandardCharsets.UTF_8).strip();
            }
            return null;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String sigquit(long pid, Path stdoutOfChild) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            kill.destroyForcibly();
            return "SIGQUIT failed too";
        }
        return "sent SIGQUIT: the platform threads are dumped to " + stdoutOfChild;
    }
}
