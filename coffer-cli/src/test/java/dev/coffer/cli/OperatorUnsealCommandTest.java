package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class OperatorUnsealCommandTest {
    @TempDir
    Path home;
    @RegisterExtension
    final FakeVaultCli fake = FakeVaultCli.withoutToken(() -> home);

    @BeforeEach
    void answerSealedByDefault() {
        fake.vault().on("PUT /v1/sys/unseal", 200, FakeVault.SEALED)
                .on("GET /v1/sys/leader", 503, FakeVault.SEALED_ERROR);
    }

    @Test
    void keyArgument_isSubmittedAndProgressPrinted() {
        CliRunner.Result result = fake.cli().run("operator", "unseal", "qgE=");

        assertThat(result.exitCode()).isZero();
        assertThat(fake.vault().last("PUT /v1/sys/unseal").body()).isEqualTo("{\"key\":\"qgE=\"}");
        assertThat(result.out()).startsWith("Key                Value\n---                -----\n")
                .contains("Sealed             true\n")
                .contains("Unseal Progress    1/3\n")
                .contains("Unseal Nonce       nonce-123\n");
    }

    @Test
    void withoutKey_promptsAndReadsStandardInput() {
        CliRunner.Result result = fake.cli().stdin("qgI=\n").run("operator", "unseal");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEqualTo("Unseal Key (will be hidden): ");
        assertThat(fake.vault().last("PUT /v1/sys/unseal").body()).isEqualTo("{\"key\":\"qgI=\"}");
        assertThat(result.out()).doesNotContain("qgI=");
    }

    @Test
    void emptyInput_failsWithoutCallingTheServer() {
        CliRunner.Result result = fake.cli().stdin("").run("operator", "unseal");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).endsWith("Error unsealing: no unseal key was given\n");
        assertThat(fake.vault().calls()).doesNotContain("PUT /v1/sys/unseal");
    }

    @Test
    void finalKey_showsUnsealedStatus() {
        fake.vault().on("PUT /v1/sys/unseal", 200, FakeVault.UNSEALED).on("GET /v1/sys/leader", 200, FakeVault.NO_HA);

        CliRunner.Result result = fake.cli().run("operator", "unseal", "qgM=");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Sealed          false\n").doesNotContain("Unseal Progress");
    }

    @Test
    void reset_and_migrate_areSent() {
        fake.cli().run("operator", "unseal", "-reset");
        assertThat(fake.vault().last("PUT /v1/sys/unseal").body()).isEqualTo("{\"reset\":true}");

        fake.cli().run("operator", "unseal", "-migrate", "qgE=");
        assertThat(fake.vault().last("PUT /v1/sys/unseal").body()).isEqualTo("{\"key\":\"qgE=\",\"migrate\":true}");
    }

    @Test
    void invalidKey_printsServerErrorWithExitOne() {
        fake.vault().on("PUT /v1/sys/unseal", 400, "{\"errors\":[\"invalid key share\"]}");

        CliRunner.Result result = fake.cli().run("operator", "unseal", "bogus");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error unsealing: Error making API request.\n\n"
                + "URL: PUT " + fake.vault().address() + "/v1/sys/unseal\n"
                + "Code: 400. Errors:\n\n* invalid key share\n");
    }
}
