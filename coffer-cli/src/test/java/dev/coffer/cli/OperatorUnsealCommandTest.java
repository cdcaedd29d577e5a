package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorUnsealCommandTest {
    @TempDir
    Path home;
    private FakeVault vault;
    private CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        vault = FakeVault.http()
                .on("PUT /v1/sys/unseal", 200, FakeVault.SEALED)
                .on("GET /v1/sys/leader", 503, FakeVault.SEALED_ERROR);
        cli = new CliRunner(home).env("VAULT_ADDR", vault.address());
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void keyArgument_isSubmittedAndProgressPrinted() {
        CliRunner.Result result = cli.run("operator", "unseal", "qgE=");

        assertThat(result.exitCode()).isZero();
        assertThat(vault.last("PUT /v1/sys/unseal").body()).isEqualTo("{\"key\":\"qgE=\"}");
        assertThat(result.out()).startsWith("Key                Value\n---                -----\n")
                .contains("Sealed             true\n")
                .contains("Unseal Progress    1/3\n")
                .contains("Unseal Nonce       nonce-123\n");
    }

    @Test
    void withoutKey_promptsAndReadsStandardInput() {
        CliRunner.Result result = cli.stdin("qgI=\n").run("operator", "unseal");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEqualTo("Unseal Key (will be hidden): ");
        assertThat(vault.last("PUT /v1/sys/unseal").body()).isEqualTo("{\"key\":\"qgI=\"}");
        assertThat(result.out()).doesNotContain("qgI=");
    }

    @Test
    void emptyInput_failsWithoutCallingTheServer() {
        CliRunner.Result result = cli.stdin("").run("operator", "unseal");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).endsWith("Error unsealing: no unseal key was given\n");
        assertThat(vault.calls()).doesNotContain("PUT /v1/sys/unseal");
    }

    @Test
    void finalKey_showsUnsealedStatus() {
        vault.on("PUT /v1/sys/unseal", 200, FakeVault.UNSEALED).on("GET /v1/sys/leader", 200, FakeVault.NO_HA);

        CliRunner.Result result = cli.run("operator", "unseal", "qgM=");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Sealed          false\n").doesNotContain("Unseal Progress");
    }

    @Test
    void reset_and_migrate_areSent() {
        cli.run("operator", "unseal", "-reset");
        assertThat(vault.last("PUT /v1/sys/unseal").body()).isEqualTo("{\"reset\":true}");

        cli.run("operator", "unseal", "-migrate", "qgE=");
        assertThat(vault.last("PUT /v1/sys/unseal").body()).isEqualTo("{\"key\":\"qgE=\",\"migrate\":true}");
    }

    @Test
    void invalidKey_printsServerErrorWithExitOne() {
        vault.on("PUT /v1/sys/unseal", 400, "{\"errors\":[\"invalid key share\"]}");

        CliRunner.Result result = cli.run("operator", "unseal", "bogus");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error unsealing: Error making API request.\n\n"
                + "URL: PUT " + vault.address() + "/v1/sys/unseal\n"
                + "Code: 400. Errors:\n\n* invalid key share\n");
    }
}
