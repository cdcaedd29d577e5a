package dev.coffer.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension for CLI tests against a {@link FakeVault}: before each test it starts a fresh fake on a free port
 * and a {@link CliRunner} pointed at it; after the test it stops the fake. Register it on an instance field with
 * {@code @RegisterExtension}. The home directory is asked for when each test starts, so the test class's
 * {@code @TempDir} field can serve ({@code () -> home}).
 */
final class FakeVaultCli implements BeforeEachCallback, AfterEachCallback {
    private final Supplier<Path> home;
    private final String token;
    private FakeVault vault;
    private CliRunner cli;

    private FakeVaultCli(Supplier<Path> home, String token) {
        this.home = home;
        this.token = token;
    }

    /** The CLI runs without VAULT_TOKEN. */
    static FakeVaultCli withoutToken(Supplier<Path> home) {
        return new FakeVaultCli(home, null);
    }

    /** The CLI runs with VAULT_TOKEN set to {@code token}. */
    static FakeVaultCli withToken(Supplier<Path> home, String token) {
        return new FakeVaultCli(home, token);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        vault = FakeVault.http();
        cli = CliRunner.against(home.get(), vault.address(), token);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        vault.close();
    }

    /** The fake the CLI talks to in the current test. */
    FakeVault vault() {
        return vault;
    }

    /** The CLI of the current test. */
    CliRunner cli() {
        return cli;
    }
}
