package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.it.Cli.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * azurekeyvault -> transit through real processes: a second {@code coffer server -dev} process is the transit
 * provider (transit mounted, one key, a token holding only the seal's policy); the Azure-sealed node gets the
 * old stanza marked {@code disabled = "true"} plus the transit stanza, and {@code operator unseal -migrate} with
 * the recovery keys. Afterwards it unseals itself through the provider while Key Vault is gone.
 */
@Timeout(240)
class SealMigrationAzureToTransitTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String PROVIDER_ROOT = "provider-root";
    private static final String KEY = "coffer-unseal";

    @TempDir
    Path dir;

    private AzureSealedServer node;
    private CofferProcess provider;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void azureKeyVaultToTransit_thenUnsealsThroughTheProviderAlone() {
        String sealToken = startProvider();
        node = AzureSealedServer.prepare(dir.resolve("node"));
        node.writeConfig(node.clientSecretStanza(false));
        node.start();
        AzureSealedServer.RecoveryInit init = node.initWithRecoveryKeys();
        String root = init.rootToken();
        assertThat(node.put("sys/mounts/secret", root, "{\"type\":\"kv\"}").status()).isLessThan(300);
        assertThat(node.put("secret/app", root, "{\"password\":\"hunter2\"}").status()).isLessThan(300);

        String transit = """
                seal "transit" {
                  address    = "%s"
                  token      = "%s"
                  key_name   = "%s"
                  mount_path = "transit/"
                }
                """.formatted(provider.address(), sealToken, KEY);
        node.writeConfig(node.clientSecretStanza(true) + transit);
        node.restart();
        JsonNode pending = node.sealStatus();
        assertThat(pending.path("sealed").asBoolean()).isTrue();
        assertThat(pending.path("migration").asBoolean()).isTrue();
        assertThat(pending.path("type").asText()).isEqualTo("azurekeyvault");
        assertThat(node.cli.run("status").value("Seal Migration in Progress")).isEqualTo("true");
        int unwraps = node.azure.calls("unwrapkey");
        node.unseal(init.recoveryKeys().subList(0, 3), true);
        assertThat(node.azure.calls("unwrapkey")).as("the old seal unwrapped the root key").isGreaterThan(unwraps);
        Result status = node.cli.run("status");
        assertThat(status.value("Seal Type")).isEqualTo("transit");
        assertThat(status.value("Recovery Seal Type")).isEqualTo("shamir");
        assertThat(status.value("Total Recovery Shares")).isEqualTo("5");
        assertSecret(root);

        // the old stanza removed and Key Vault gone: the node unseals itself through the transit provider
        node.writeConfig(transit);
        node.azure.goDown();
        node.restart();
        node.awaitSelfUnsealed();
        assertSecret(root);

        // the recovery keys carried over: they unseal after an operator seal
        Result seal = node.cli.withToken(root).run("operator", "seal");
        assertThat(seal.exitCode()).as("%s", seal).isZero();
        node.unsealOverHttp(init.recoveryKeys().subList(2, 5));
        assertSecret(root);
    }

    /** The provider node: a dev server process, transit mounted, one key, a token limited to the seal's policy. */
    private String startProvider() {
        int port = CofferProcess.freePort();
        provider = CofferProcess.launch(dir.resolve("provider"), "http://127.0.0.1:" + port, List.of("server", "-dev",
                "-dev-listen-address=127.0.0.1:" + port, "-dev-root-token-id=" + PROVIDER_ROOT)).awaitHealth(null);
        try (RawHttp http = new RawHttp(provider.address())) {
            ok(http.put("sys/mounts/transit", PROVIDER_ROOT, "{\"type\":\"transit\"}"));
            ok(http.send("POST", "transit/keys/" + KEY, PROVIDER_ROOT, "{}"));
            String policy = """
                    path "transit/encrypt/%1$s" {
                      capabilities = ["update"]
                    }
                    path "transit/decrypt/%1$s" {
                      capabilities = ["update"]
                    }
                    """.formatted(KEY);
            ok(http.put("sys/policies/acl/coffer-seal", PROVIDER_ROOT, M.createObjectNode().put("policy", policy).toString()));
            RawHttp.Response token = http.send("POST", "auth/token/create", PROVIDER_ROOT,
                    "{\"policies\":[\"coffer-seal\"],\"period\":\"24h\"}");
            ok(token);
            return token.json().at("/auth/client_token").asText();
        }
    }

    private static void ok(RawHttp.Response response) {
        assertThat(response.status()).as("%s", response).isLessThan(300);
    }

    private void assertSecret(String root) {
        RawHttp.Response read = node.get("secret/app", root);
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        assertThat(read.json().at("/data/password").asText()).isEqualTo("hunter2");
    }
}
