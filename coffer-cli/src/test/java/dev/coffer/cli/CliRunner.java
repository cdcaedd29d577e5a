package dev.coffer.cli;

import dev.coffer.server.ServerOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs the CLI in-process with a chosen environment, home directory and standard input. */
final class CliRunner {
    record Result(int exitCode, String out, String err) {
    }

    private final Map<String, String> env = new HashMap<>();
    private final Path home;
    private String stdin = "";
    final List<ServerOptions> launched = new CopyOnWriteArrayList<>();

    CliRunner(Path home) {
        this.home = home;
        env.put("VAULT_MAX_RETRIES", "0");
    }

    /** A runner whose VAULT_ADDR is {@code address} and, unless {@code token} is null, VAULT_TOKEN is {@code token}. */
    static CliRunner against(Path home, String address, String token) {
        CliRunner runner = new CliRunner(home).env("VAULT_ADDR", address);
        return token == null ? runner : runner.env("VAULT_TOKEN", token);
    }

    CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    CliRunner stdin(String text) {
        this.stdin = text;
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        ConsolePrompter prompter = new ConsolePrompter(null,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), errStream);
        CliContext ctx = new CliContext(env, home, new PrintStream(out, true, StandardCharsets.UTF_8), errStream,
                prompter, options -> {
                    launched.add(options);
                    return 0;
                });
        int code = new Cli(ctx).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
