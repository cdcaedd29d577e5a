package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.server.Listener;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.storage.InmemBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension for CLI tests against a real in-process server: before each test a dev-mode core on in-memory
 * storage (unsealed, KV v2 at {@code secret/}, root token {@value #ROOT_TOKEN}) behind a plain-HTTP listener on a
 * free port, and a {@link CliRunner} that calls it with the root token; after the test both are closed. Register it
 * on an instance field with {@code @RegisterExtension}; the home directory is asked for when each test starts, so
 * the test class's {@code @TempDir} field can serve ({@code () -> home}).
 */
final class DevServerCli implements BeforeEachCallback, AfterEachCallback {
    static final String ROOT_TOKEN = "root";

    private final Supplier<Path> home;
    private Core core;
    private Listener listener;
    private CliRunner cli;

    DevServerCli(Supplier<Path> home) {
        this.home = home;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        String token = core.devInit(ROOT_TOKEN).rootToken();
        listener = Listener.start(new ListenerConfig("tcp", "127.0.0.1:0", null, true, null, null, "tls12", null,
                1 << 20, Duration.ofSeconds(90)), core, "http://127.0.0.1:8200", null);
        cli = CliRunner.against(home.get(), listener.url(), token);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        listener.close();
        core.close();
    }

    /** The server's core in the current test. */
    Core core() {
        return core;
    }

    /** The CLI of the current test. */
    CliRunner cli() {
        return cli;
    }

    /** Runs the CLI and asserts it exited 0; the command and its standard error describe a failure. */
    CliRunner.Result ok(String... args) {
        CliRunner.Result r = cli.run(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }
}
