package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class OperatorInitCommandTest {
    private static final String UNINITIALIZED = """
            {"type":"shamir","initialized":false,"sealed":true,"t":0,"n":0,"recovery_seal":false}""";
    private static final String INIT_ANSWER = """
            {"keys":["aa01","aa02","aa03"],"keys_base64":["qgE=","qgI=","qgM="],
             "recovery_keys":[],"recovery_keys_base64":[],"root_token":"s.root"}""";

    @TempDir
    Path home;
    @RegisterExtension
    final FakeVaultCli fake = FakeVaultCli.withoutToken(() -> home);

    @Test
    void shamirInit_printsKeysTokenAndAdvice() {
        fake.vault().on("GET /v1/sys/seal-status", 200, UNINITIALIZED).on("PUT /v1/sys/init", 200, INIT_ANSWER);

        CliRunner.Result result = fake.cli().run("operator", "init", "-key-shares=3", "-key-threshold=2");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("""
                Unseal Key 1: qgE=
                Unseal Key 2: qgI=
                Unseal Key 3: qgM=

                Initial Root Token: s.root

                Vault initialized with 3 key shares and a key threshold of 2.
                """);
        assertThat(result.out()).contains("2 of these").contains("sealed");
        assertThat(fake.vault().last("PUT /v1/sys/init").body())
                .isEqualTo("{\"secret_shares\":3,\"secret_threshold\":2}");
    }

    @Test
    void shamirInit_defaultsToFiveSharesThresholdThree() {
        fake.vault().on("GET /v1/sys/seal-status", 200, UNINITIALIZED).on("PUT /v1/sys/init", 200, INIT_ANSWER);

        fake.cli().run("operator", "init");

        assertThat(fake.vault().last("PUT /v1/sys/init").body())
                .isEqualTo("{\"secret_shares\":5,\"secret_threshold\":3}");
    }

    @Test
    void autoSealInit_sendsRecoverySharesAndPrintsRecoveryKeys() {
        fake.vault().on("GET /v1/sys/seal-status", 200, """
                {"type":"azurekeyvault","initialized":false,"sealed":true,"recovery_seal":true}""")
                .on("PUT /v1/sys/init", 200, """
                {"keys":[],"keys_base64":[],"recovery_keys":["bb01","bb02"],
                 "recovery_keys_base64":["uwE=","uwI="],"root_token":"s.root"}""");

        CliRunner.Result result = fake.cli()
                .run("operator", "init", "-recovery-shares", "2", "-recovery-threshold", "2");

        assertThat(result.out()).startsWith("Recovery Key 1: uwE=\nRecovery Key 2: uwI=\n\nInitial Root Token: s.root\n")
                .contains("recovery keys cannot unseal");
        assertThat(fake.vault().last("PUT /v1/sys/init").body())
                .isEqualTo("{\"recovery_shares\":2,\"recovery_threshold\":2}");
    }

    @Test
    void jsonFormat_usesVaultFieldNames() throws IOException {
        fake.vault().on("GET /v1/sys/seal-status", 200, UNINITIALIZED).on("PUT /v1/sys/init", 200, INIT_ANSWER);

        CliRunner.Result result = fake.cli()
                .run("operator", "init", "-format=json", "-key-shares=3", "-key-threshold=2");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("unseal_keys_b64").get(0).asText()).isEqualTo("qgE=");
        assertThat(json.get("unseal_keys_hex").get(2).asText()).isEqualTo("aa03");
        assertThat(json.get("unseal_shares").asInt()).isEqualTo(3);
        assertThat(json.get("unseal_threshold").asInt()).isEqualTo(2);
        assertThat(json.get("recovery_keys_b64")).isEmpty();
        assertThat(json.get("recovery_keys_hex")).isEmpty();
        assertThat(json.get("recovery_keys_shares").asInt()).isZero();
        assertThat(json.get("recovery_keys_threshold").asInt()).isZero();
        assertThat(json.get("root_token").asText()).isEqualTo("s.root");
    }

    @Test
    void statusFlag_exitsZeroWhenInitializedAndTwoWhenNot() {
        fake.vault().on("GET /v1/sys/init", 200, "{\"initialized\":true}");
        CliRunner.Result initialized = fake.cli().run("operator", "init", "-status");
        fake.vault().on("GET /v1/sys/init", 200, "{\"initialized\":false}");
        CliRunner.Result uninitialized = fake.cli().run("operator", "init", "-status");

        assertThat(initialized.exitCode()).isZero();
        assertThat(initialized.out()).isEqualTo("Vault is initialized\n");
        assertThat(uninitialized.exitCode()).isEqualTo(2);
        assertThat(uninitialized.out()).isEqualTo("Vault is not initialized\n");
        assertThat(fake.vault().calls()).doesNotContain("PUT /v1/sys/init");
    }

    @Test
    void alreadyInitialized_reportsServerErrorWithExitOne() {
        fake.vault().on("GET /v1/sys/seal-status", 200, FakeVault.UNSEALED)
                .on("PUT /v1/sys/init", 400, "{\"errors\":[\"Vault is already initialized\"]}");

        CliRunner.Result result = fake.cli().run("operator", "init");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Error initializing: Error making API request.")
                .contains("Code: 400. Errors:\n\n* Vault is already initialized");
    }
}
