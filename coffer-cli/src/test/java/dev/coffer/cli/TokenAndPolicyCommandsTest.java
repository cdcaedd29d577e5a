package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** login, token and policy commands, and operator generate-root -decode. */
class TokenAndPolicyCommandsTest {
    private static final String CREATED = """
            {"auth":{"client_token":"hvs.child","accessor":"acc1","policies":["default","p"],
             "token_policies":["default","p"],"identity_policies":[],"metadata":{"team":"x"},"lease_duration":3600,
             "renewable":true,"entity_id":"","token_type":"service","orphan":false,"num_uses":0}}""";
    private static final String LOOKUP = """
            {"data":{"accessor":"acc1","display_name":"token","id":"hvs.me","policies":["default"],"ttl":60}}""";

    @TempDir
    Path home;
    @RegisterExtension
    final FakeVaultCli fake = FakeVaultCli.withToken(() -> home, "s.admin");

    @Test
    void tokenCreate_sendsVaultFields_andPrintsTheTable() {
        fake.vault().on("PUT /v1/auth/token/create", 200, CREATED);
        CliRunner.Result r = fake.cli().run("token", "create", "-policy=p", "-policy=q", "-ttl=1h", "-use-limit=3",
                "-metadata", "team=x", "-display-name=ci");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("token                hvs.child").contains("token_accessor       acc1")
                .contains("token_duration       1h0m0s").contains("token_meta_team      x");
        assertThat(fake.vault().last("PUT /v1/auth/token/create").body()).contains("\"policies\":[\"p\",\"q\"]")
                .contains("\"ttl\":\"1h\"").contains("\"num_uses\":3").contains("\"meta\":{\"team\":\"x\"}");
    }

    @Test
    void tokenCreate_orphan_andFieldOutput() {
        fake.vault().on("PUT /v1/auth/token/create-orphan", 200, CREATED);
        CliRunner.Result r = fake.cli().run("token", "create", "-orphan", "-field=token");
        assertThat(r.out()).isEqualTo("hvs.child\n");
    }

    @Test
    void login_verifiesTheToken_andWritesTheTokenFile() throws IOException {
        fake.vault().on("GET /v1/auth/token/lookup-self", 200, LOOKUP);
        CliRunner.Result r = fake.cli().stdin("hvs.me\n").run("login");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Success! You are now authenticated");
        assertThat(fake.vault().last("GET /v1/auth/token/lookup-self").token()).isEqualTo("hvs.me");
        assertThat(Files.readString(home.resolve(".vault-token"))).isEqualTo("hvs.me");
    }

    @Test
    void login_withABadToken_failsAndWritesNothing() {
        fake.vault().on("GET /v1/auth/token/lookup-self", 403, "{\"errors\":[\"permission denied\"]}");
        CliRunner.Result r = fake.cli().run("login", "hvs.bad");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("Code: 403").doesNotContain("hvs.bad");
        assertThat(home.resolve(".vault-token")).doesNotExist();
    }

    @Test
    void tokenLookup_revoke_andRenew_pickTheRightEndpoints() {
        fake.vault().on("PUT /v1/auth/token/lookup-accessor", 200, LOOKUP).on("PUT /v1/auth/token/revoke-self", 204, "")
                .on("PUT /v1/auth/token/renew", 200, CREATED);
        assertThat(fake.cli().run("token", "lookup", "-accessor", "acc1", "-format=json").out())
                .contains("\"accessor\" : \"acc1\"");
        assertThat(fake.cli().run("token", "revoke", "-self").out()).contains("Success! Revoked token");
        assertThat(fake.cli().run("token", "renew", "-increment=2h", "hvs.child").exitCode()).isZero();
        assertThat(fake.vault().last("PUT /v1/auth/token/renew").body()).contains("\"increment\":\"2h\"");
    }

    @Test
    void policyWrite_fromStdin_andReadListDelete() {
        fake.vault().on("PUT /v1/sys/policies/acl/ops", 204, "")
                .on("GET /v1/sys/policies/acl/ops", 200, "{\"data\":{\"name\":\"ops\",\"policy\":\"path \\\"a\\\" {}\\n\"}}")
                .on("LIST /v1/sys/policies/acl", 200, "{\"data\":{\"keys\":[\"default\",\"ops\",\"root\"]}}")
                .on("DELETE /v1/sys/policies/acl/ops", 204, "");
        CliRunner.Result w = fake.cli().stdin("path \"a\" {\n capabilities = [\"read\"]\n}\n")
                .run("policy", "write", "ops", "-");
        assertThat(w.out()).isEqualTo("Success! Uploaded policy: ops\n");
        assertThat(fake.vault().last("PUT /v1/sys/policies/acl/ops").body()).contains("capabilities");
        assertThat(fake.cli().run("policy", "read", "ops").out()).isEqualTo("path \"a\" {}\n");
        assertThat(fake.cli().run("policy", "list").out()).isEqualTo("default\nops\nroot\n");
        assertThat(fake.cli().run("policy", "delete", "ops").out()).contains("Deleted policy: ops");
    }

    @Test
    void generateRootDecode_xorsTheOtpBackOut() {
        String otp = "B".repeat(36);
        String token = "hvs." + "x".repeat(32);
        byte[] x = new byte[36];
        for (int i = 0; i < 36; i++) {
            x[i] = (byte) (token.charAt(i) ^ otp.charAt(i));
        }
        String encoded = java.util.Base64.getEncoder().encodeToString(x);
        CliRunner.Result r = fake.cli().run("operator", "generate-root", "-decode=" + encoded, "-otp=" + otp);
        assertThat(r.out()).isEqualTo(token + "\n");
    }
}
