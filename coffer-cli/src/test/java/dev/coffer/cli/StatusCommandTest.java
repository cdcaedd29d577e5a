package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {
    @TempDir
    Path home;
    @RegisterExtension
    final FakeVaultCli fake = FakeVaultCli.withoutToken(() -> home);

    @Test
    void unsealedWithoutHa_printsTableAndExitsZero() {
        fake.vault().on("GET /v1/sys/seal-status", 200, FakeVault.UNSEALED)
                .on("GET /v1/sys/leader", 200, FakeVault.NO_HA);

        CliRunner.Result result = fake.cli().run("status");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo("""
                Key             Value
                ---             -----
                Seal Type       shamir
                Initialized     true
                Sealed          false
                Total Shares    5
                Threshold       3
                Version         0.1.0
                Build Date      2025-06-01T00:00:00Z
                Storage Type    postgresql
                Cluster Name    coffer-cluster-1
                Cluster ID      c0ffee-1
                HA Enabled      false
                """);
    }

    @Test
    void sealed_showsProgressAndNonceAndExitsTwo() {
        fake.vault().on("GET /v1/sys/seal-status", 200, FakeVault.SEALED)
                .on("GET /v1/sys/leader", 503, FakeVault.SEALED_ERROR);

        CliRunner.Result result = fake.cli().run("status");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEqualTo("""
                Key                Value
                ---                -----
                Seal Type          shamir
                Initialized        true
                Sealed             true
                Total Shares       5
                Threshold          3
                Unseal Progress    1/3
                Unseal Nonce       nonce-123
                Version            0.1.0
                Build Date         2025-06-01T00:00:00Z
                Storage Type       postgresql
                HA Enabled         false
                """);
    }

    @Test
    void autoSealedNodeThatCannotReachItsKms_showsRecoveryRowsAndTheKmsError() {
        fake.vault().on("GET /v1/sys/seal-status", 200, """
                {"type":"azurekeyvault","initialized":true,"sealed":true,"t":3,"n":5,"progress":0,"nonce":"",
                 "version":"0.1.0","build_date":"2025-06-01T00:00:00Z","migration":false,"recovery_seal":true,
                 "recovery_seal_type":"shamir","storage_type":"postgresql",
                 "auto_unseal_error":"PERMISSION_DENIED: grant wrapKey/unwrapKey"}""")
                .on("GET /v1/sys/leader", 503, FakeVault.SEALED_ERROR);

        CliRunner.Result result = fake.cli().run("status");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).startsWith("""
                Key                      Value
                ---                      -----
                Seal Type                azurekeyvault
                Recovery Seal Type       shamir
                Initialized              true
                Sealed                   true
                Total Recovery Shares    5
                Threshold                3
                Unseal Progress          0/3
                Unseal Nonce             n/a
                Auto Unseal Error        PERMISSION_DENIED: grant wrapKey/unwrapKey
                """);
    }

    @Test
    void activeHaNode_showsModeAndActiveSince() {
        fake.vault().on("GET /v1/sys/seal-status", 200, FakeVault.UNSEALED).on("GET /v1/sys/leader", 200, """
                {"ha_enabled":true,"is_self":true,"active_time":"2025-06-02T10:00:00Z",
                 "leader_address":"https://a:8200","leader_cluster_address":"https://a:8201"}""");

        CliRunner.Result result = fake.cli().run("status");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).endsWith("""
                HA Enabled      true
                HA Cluster      https://a:8201
                HA Mode         active
                Active Since    2025-06-02T10:00:00Z
                """);
    }

    @Test
    void standbyHaNode_showsActiveNodeAddress() {
        fake.vault().on("GET /v1/sys/seal-status", 200, FakeVault.UNSEALED).on("GET /v1/sys/leader", 200, """
                {"ha_enabled":true,"is_self":false,"active_time":"0001-01-01T00:00:00Z",
                 "leader_address":"https://a:8200","leader_cluster_address":"https://a:8201"}""");

        CliRunner.Result result = fake.cli().run("status");

        assertThat(result.out()).endsWith("""
                HA Enabled             true
                HA Cluster             https://a:8201
                HA Mode                standby
                Active Node Address    https://a:8200
                """);
    }

    @Test
    void autoSeal_showsRecoverySealTypeAndRecoveryShares() {
        fake.vault().on("GET /v1/sys/seal-status", 200, """
                {"type":"azurekeyvault","initialized":true,"sealed":false,"t":3,"n":5,"recovery_seal":true,
                 "recovery_seal_type":"shamir","version":"0.1.0","storage_type":"postgresql"}""")
                .on("GET /v1/sys/leader", 200, FakeVault.NO_HA);

        CliRunner.Result result = fake.cli().run("status");

        assertThat(result.out()).contains("Seal Type                azurekeyvault\n")
                .contains("Recovery Seal Type       shamir\n")
                .contains("Total Recovery Shares    5\n")
                .contains("Build Date               n/a\n");
    }

    @Test
    void jsonFormat_printsSealStatusPlusHaFields() throws IOException {
        fake.vault().on("GET /v1/sys/seal-status", 200, FakeVault.UNSEALED)
                .on("GET /v1/sys/leader", 200, FakeVault.NO_HA);

        CliRunner.Result result = fake.cli().run("status", "-format=json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(result.exitCode()).isZero();
        assertThat(json.get("sealed").asBoolean()).isFalse();
        assertThat(json.get("t").asInt()).isEqualTo(3);
        assertThat(json.get("cluster_name").asText()).isEqualTo("coffer-cluster-1");
        assertThat(json.get("build_date").asText()).isEqualTo("2025-06-01T00:00:00Z");
        assertThat(json.has("ha_enabled") && json.has("is_self") && json.has("active_time")
                && json.has("leader_address") && json.has("leader_cluster_address")).isTrue();
    }

    @Test
    void vaultFormatVariable_selectsJson_andFlagOverridesIt() {
        fake.vault().on("GET /v1/sys/seal-status", 200, FakeVault.UNSEALED)
                .on("GET /v1/sys/leader", 200, FakeVault.NO_HA);
        fake.cli().env("VAULT_FORMAT", "json");

        assertThat(fake.cli().run("status").out()).startsWith("{");
        assertThat(fake.cli().run("status", "--format", "table").out()).startsWith("Key ");
    }

    @Test
    void addressFlag_winsOverVaultAddr() throws IOException {
        try (FakeVault other = FakeVault.http()) {
            other.on("GET /v1/sys/seal-status", 200, FakeVault.SEALED).on("GET /v1/sys/leader", 503, "{}");

            CliRunner.Result result = fake.cli().run("status", "-address=" + other.address());

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(other.calls()).contains("GET /v1/sys/seal-status");
            assertThat(fake.vault().calls()).isEmpty();
        }
    }

    @Test
    void serverError_printsVaultStyleErrorAndExitsOne() {
        fake.vault().on("GET /v1/sys/seal-status", 500, "{\"errors\":[\"storage unavailable\"]}");

        CliRunner.Result result = fake.cli().run("status");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("Error checking seal status: Error making API request.\n\n"
                + "URL: GET " + fake.vault().address() + "/v1/sys/seal-status\n"
                + "Code: 500. Errors:\n\n* storage unavailable\n");
    }

    @Test
    void unsupportedFormat_isAUsageErrorWithExitOne() {
        CliRunner.Result result = fake.cli().run("status", "-format=yaml");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("unsupported format \"yaml\"").contains("Usage:");
    }
}
