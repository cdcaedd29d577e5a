package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** seal, rotate, key-status and rekey. */
class OperatorKeyCommandsTest {
    private static final String KEY_STATUS = "{\"term\":2,\"install_time\":\"2025-06-02T10:00:00Z\",\"encryptions\":42}";
    private static final String REKEY_STARTED = """
            {"nonce":"rk-1","started":true,"t":2,"n":3,"progress":0,"required":3,"verification_required":false}""";

    @TempDir
    Path home;
    @RegisterExtension
    final FakeVaultCli fake = FakeVaultCli.withToken(() -> home, "s.admin");

    @Test
    void seal_sendsTokenAndConfirms() {
        fake.vault().on("PUT /v1/sys/seal", 204, "");

        CliRunner.Result result = fake.cli().run("operator", "seal");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("Success! Vault is sealed.\n");
        assertThat(fake.vault().last("PUT /v1/sys/seal").token()).isEqualTo("s.admin");
    }

    @Test
    void sealWithoutPermission_printsErrorWithExitOne() {
        fake.vault().on("PUT /v1/sys/seal", 403, "{\"errors\":[\"permission denied\"]}");

        CliRunner.Result result = fake.cli().run("operator", "seal");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Error sealing: Error making API request.")
                .contains("Code: 403. Errors:\n\n* permission denied").doesNotContain("s.admin");
    }

    @Test
    void rotate_printsNewTerm() {
        fake.vault().on("PUT /v1/sys/rotate", 204, "").on("GET /v1/sys/key-status", 200, KEY_STATUS);

        CliRunner.Result result = fake.cli().run("operator", "rotate");

        assertThat(result.out()).isEqualTo("""
                Success! Rotated key

                Key Term        2
                Install Time    2025-06-02T10:00:00Z
                """);
    }

    @Test
    void keyStatus_printsTable() {
        fake.vault().on("GET /v1/sys/key-status", 200, KEY_STATUS);

        assertThat(fake.cli().run("operator", "key-status").out()).isEqualTo("""
                Key Term            2
                Install Time        2025-06-02T10:00:00Z
                Encryption Count    42
                """);
    }

    @Test
    void rekeyInit_sendsNewLayoutAndPrintsStatus() {
        fake.vault().on("PUT /v1/sys/rekey/init", 200, REKEY_STARTED);

        CliRunner.Result result = fake.cli().run("operator", "rekey", "-init", "-key-shares=3", "-key-threshold=2");

        assertThat(fake.vault().last("PUT /v1/sys/rekey/init").body())
                .isEqualTo("{\"secret_shares\":3,\"secret_threshold\":2}");
        assertThat(result.out()).contains("Nonce                    rk-1\n").contains("Rekey Progress           0/3\n")
                .contains("New Shares               3\n").contains("New Threshold            2\n");
    }

    @Test
    void rekeyUpdate_inProgressPrintsProgress_completePrintsNewKeys() {
        fake.vault().on("GET /v1/sys/rekey/init", 200, REKEY_STARTED)
                .on("PUT /v1/sys/rekey/update", 200, "{\"complete\":false,\"nonce\":\"rk-1\",\"progress\":1,\"required\":3}");
        CliRunner.Result first = fake.cli().run("operator", "rekey", "qgE=");

        fake.vault().on("PUT /v1/sys/rekey/update", 200, """
                {"complete":true,"nonce":"rk-1","keys":["cc01","cc02","cc03"],"keys_base64":["zAE=","zAI=","zAM="]}""");
        CliRunner.Result last = fake.cli().stdin("qgM=\n").run("operator", "rekey");

        assertThat(first.exitCode()).isZero();
        assertThat(fake.vault().requests.stream().filter(r -> r.path().equals("/v1/sys/rekey/update")).findFirst()
                .orElseThrow().body()).isEqualTo("{\"key\":\"qgE=\",\"nonce\":\"rk-1\"}");
        assertThat(last.err()).isEqualTo("Unseal Key (will be hidden): ");
        assertThat(last.out()).startsWith("""
                Key 1: zAE=
                Key 2: zAI=
                Key 3: zAM=

                Operation nonce: rk-1

                Vault rekeyed with 3 key shares and a key threshold of 2.
                """);
    }

    @Test
    void rekeyCancelAndRecoveryTarget_useTheRightPaths() {
        fake.vault().on("DELETE /v1/sys/rekey-recovery-key/init", 204, "");

        CliRunner.Result result = fake.cli().run("operator", "rekey", "-cancel", "-target=recovery");

        assertThat(result.out()).isEqualTo("Success! Canceled rekeying (if it was started)\n");
        assertThat(fake.vault().calls()).containsExactly("DELETE /v1/sys/rekey-recovery-key/init");
    }

    @Test
    void rekeyWithoutStartedOperation_explainsHowToStart() {
        fake.vault().on("GET /v1/sys/rekey/init", 200, "{\"started\":false}");

        CliRunner.Result result = fake.cli().run("operator", "rekey", "qgE=");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("start one with -init");
    }

    @Test
    void conflictingRekeyFlags_areAUsageError() {
        CliRunner.Result result = fake.cli().run("operator", "rekey", "-init", "-cancel");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("use only one of -init, -cancel and -status");
        assertThat(fake.vault().calls()).isEmpty();
    }
}
