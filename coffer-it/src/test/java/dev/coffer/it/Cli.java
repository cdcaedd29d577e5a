package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code java -jar coffer.jar <args>} as a client against one server address. */
final class Cli {

    static final long TIMEOUT_SECONDS = 90;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Path dir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(TIMEOUT_SECONDS);

    Cli(Path dir, String address) {
        this.dir = dir;
        env.put("VAULT_ADDR", address);
    }

    /** A copy that gives each command {@code limit} instead of {@link #TIMEOUT_SECONDS} to finish. */
    Cli withTimeout(Duration limit) {
        Cli copy = with("VAULT_ADDR", env.get("VAULT_ADDR"));
        copy.timeout = limit;
        return copy;
    }

    /** A copy with one more environment variable ({@code null} value: unset it). */
    Cli with(String name, String value) {
        Cli copy = new Cli(dir, env.get("VAULT_ADDR"));
        copy.timeout = timeout;
        copy.env.putAll(env);
        if (value == null) {
            copy.env.remove(name);
        } else {
            copy.env.put(name, value);
        }
        return copy;
    }

    Cli withToken(String token) {
        return with("VAULT_TOKEN", token);
    }

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }

        /** The value column of a {@code Key  Value} table row, or fails. */
        String value(String key) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s{2,}(\\S.*)$").matcher(stdout);
            assertThat(m.find()).as("row '%s' in\n%s", key, this).isTrue();
            return m.group(1).trim();
        }
    }

    Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs the command with {@code input} on its standard input (closed afterwards); {@code null} for none. */
    Result runWithInput(String input, String... args) {
        int run = RUNS.incrementAndGet();
        Path home = dir.resolve("home");
        Path out = dir.resolve("cli-" + run + ".out");
        Path err = dir.resolve("cli-" + run + ".err");
        try {
            Files.createDirectories(home);
            ProcessBuilder builder = new ProcessBuilder(CofferJar.command(home, List.of(args))).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            CofferJar.isolate(builder.environment(), home);
            builder.environment().putAll(env);
            Process process = builder.start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                // where the client and every server of the test wait, before the client is killed
                String dumps = ThreadDumps.capture(process.pid(), "coffer cli", out)
                        + CofferProcess.threadDumpsOfRunningServers();
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("coffer " + Arrays.toString(args) + " did not finish within "
                        + timeout.toSeconds() + "s\n--- cli stdout ---\n" + Files.readString(out) + "--- cli stderr ---\n"
                        + Files.readString(err) + dumps);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** What {@code operator init} printed. */
    record InitKeys(List<String> keys, String rootToken) {
        static InitKeys parse(Result init) {
            assertThat(init.exitCode()).as("operator init: %s", init).isZero();
            Matcher key = Pattern.compile("(?m)^Unseal Key (\\d+): (\\S+)$").matcher(init.stdout());
            List<String> keys = new java.util.ArrayList<>();
            while (key.find()) {
                assertThat(Integer.parseInt(key.group(1))).isEqualTo(keys.size() + 1);
                keys.add(key.group(2));
            }
            Matcher token = Pattern.compile("(?m)^Initial Root Token: (\\S+)$").matcher(init.stdout());
            assertThat(token.find()).as("root token in %s", init).isTrue();
            return new InitKeys(List.copyOf(keys), token.group(1));
        }

        /** Share number {@code n}, counting from 1 as the init output does. */
        String key(int n) {
            return keys.get(n - 1);
        }
    }

    /** {@code operator init} with the defaults (5 shares, threshold 3). */
    InitKeys init() {
        InitKeys keys = InitKeys.parse(run("operator", "init"));
        assertThat(keys.keys()).hasSize(5);
        return keys;
    }

    /** Submits the given shares through the CLI and checks the server ends up unsealed. */
    void unseal(InitKeys keys, int... shares) {
        Result last = null;
        for (int share : shares) {
            last = run("operator", "unseal", keys.key(share));
            assertThat(last.exitCode()).as("unseal with share %d: %s", share, last).isZero();
        }
        assertThat(last).isNotNull();
        assertThat(last.value("Sealed")).as("%s", last).isEqualTo("false");
    }
}
