package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.it.Cli.InitKeys;
import dev.coffer.it.Cli.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seal migration through real processes and {@code coffer operator unseal -migrate}, the configurations an operator
 * would write (docs/auto-unseal.md): shamir -> azurekeyvault (the seed's stanza) -> shamir (the stanza marked
 * {@code disabled = "true"}), with the same five key shares throughout and a secret that must survive.
 */
@Timeout(240)
class SealMigrationShamirAzureTest {

    @TempDir
    Path dir;

    private AzureSealedServer node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void shamirToAzureKeyVault_andBackToShamir() {
        node = AzureSealedServer.prepare(dir);
        node.writeConfig("");
        node.start();
        InitKeys keys = node.initShamirOverHttp();
        node.unsealOverHttp(keys.keys().subList(0, 3));
        String root = keys.rootToken();
        assertThat(node.put("sys/mounts/secret", root, "{\"type\":\"kv\"}").status()).isLessThan(300);
        assertThat(node.put("secret/app", root, "{\"password\":\"hunter2\"}").status()).isLessThan(300);

        // shamir -> azurekeyvault: the new stanza, a restart, then a threshold of the unseal keys with -migrate
        node.writeConfig(node.clientSecretStanza(false));
        node.restart();
        JsonNode pending = node.sealStatus();
        assertThat(pending.path("sealed").asBoolean()).isTrue();
        assertThat(pending.path("migration").asBoolean()).isTrue();
        assertThat(pending.path("type").asText()).isEqualTo("shamir");
        Result status = node.cli.run("status");
        assertThat(status.value("Seal Migration in Progress")).isEqualTo("true");
        Result withoutFlag = node.cli.run("operator", "unseal", keys.key(1));
        assertThat(withoutFlag.exitCode()).as("%s", withoutFlag).isNotZero();
        assertThat(withoutFlag.stderr()).contains("-migrate");
        int wraps = node.azure.calls("wrapkey");
        node.unseal(List.of(keys.key(1), keys.key(2), keys.key(3)), true);
        assertThat(node.azure.calls("wrapkey")).as("Key Vault wrapped the root key").isGreaterThan(wraps);
        status = node.cli.run("status");
        assertThat(status.value("Seal Type")).isEqualTo("azurekeyvault");
        assertThat(status.value("Recovery Seal Type")).isEqualTo("shamir");
        assertThat(status.stdout()).doesNotContain("Seal Migration in Progress");
        assertSecret(root);

        // a restart unseals itself now
        node.restart();
        node.awaitSelfUnsealed();
        assertSecret(root);

        // azurekeyvault -> shamir: the stanza disabled, a threshold of the recovery keys (the old unseal keys)
        node.writeConfig(node.clientSecretStanza(true));
        node.restart();
        pending = node.sealStatus();
        assertThat(pending.path("sealed").asBoolean()).isTrue();
        assertThat(pending.path("migration").asBoolean()).isTrue();
        assertThat(pending.path("type").asText()).isEqualTo("azurekeyvault");
        node.unseal(List.of(keys.key(3), keys.key(4), keys.key(5)), true);
        status = node.cli.run("status");
        assertThat(status.value("Seal Type")).isEqualTo("shamir");
        assertThat(status.stdout()).doesNotContain("Recovery Seal Type");
        assertSecret(root);

        // without the stanza, every start needs the unseal keys again; Key Vault is no longer asked
        node.writeConfig("");
        node.azure.goDown();
        node.restart();
        JsonNode sealed = node.sealStatus();
        assertThat(sealed.path("sealed").asBoolean()).isTrue();
        assertThat(sealed.path("migration").asBoolean()).isFalse();
        assertThat(sealed.path("type").asText()).isEqualTo("shamir");
        node.unsealOverHttp(List.of(keys.key(2), keys.key(4), keys.key(5)));
        assertSecret(root);
    }

    private void assertSecret(String root) {
        RawHttp.Response read = node.get("secret/app", root);
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        assertThat(read.json().at("/data/password").asText()).isEqualTo("hunter2");
    }
}
