package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coffer.it.Cli.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a node sealed by Azure Key Vault: it unseals itself on restart with no human. Then the same crash
 * while Key Vault is down: the node stays sealed with the actionable error, and unseals by itself once Key Vault
 * is back, within the retry loop's cap (30 s) plus one bounded Key Vault call.
 */
@Timeout(180)
class AzureCrashRestartTest {

    /** The auto-unseal retry interval's cap (AutoUnsealer: 1 s doubling to 30 s) plus one call's bounded 10 s. */
    private static final Duration ONE_RETRY_INTERVAL = Duration.ofSeconds(40);

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
    void killNine_restartUnsealsItself_evenWhenKeyVaultReturnsOnlyLater() {
        node = AzureSealedServer.prepare(dir);
        node.writeConfig(node.clientSecretStanza(false));
        node.start();
        String root = node.initWithRecoveryKeys().rootToken();
        assertThat(node.put("sys/mounts/secret", root, "{\"type\":\"kv\"}").status()).isLessThan(300);
        assertThat(node.put("secret/app", root, "{\"password\":\"hunter2\"}").status()).isLessThan(300);

        // kill -9, restart: unsealed through Key Vault, no key typed, the acknowledged write is there
        int unwraps = node.azure.calls("unwrapkey");
        node.killNineAndStart();
        node.awaitSelfUnsealed();
        assertThat(node.azure.calls("unwrapkey")).isGreaterThan(unwraps);
        assertThat(node.get("secret/app", root).json().at("/data/password").asText()).isEqualTo("hunter2");

        // kill -9 while Key Vault is down: sealed, the reason shown and logged once, retried ...
        node.azure.goDown();
        node.killNineAndStart();
        await("auto_unseal_error in sys/seal-status").atMost(Duration.ofSeconds(30)).pollInterval(AzureSealedServer.POLL)
                .until(() -> !node.sealStatus().path("auto_unseal_error").asText("").isEmpty());
        Result status = node.cli.run("status");
        assertThat(status.exitCode()).as("%s", status).isEqualTo(2);
        assertThat(status.value("Sealed")).isEqualTo("true");
        assertThat(status.value("Auto Unseal Error")).contains("cannot reach Key Vault", "check DNS, firewall")
                .doesNotContain(node.azure.clientSecret());
        assertThat(node.logLines("cannot unseal through the azurekeyvault seal (UNREACHABLE)"))
                .as("%s", node.server().output()).hasSize(1);
        assertThat(node.server().isAlive()).isTrue();

        // ... and unsealed by itself once Key Vault answers again
        node.azure.comeBack();
        node.awaitSelfUnsealed(ONE_RETRY_INTERVAL);
        assertThat(node.get("secret/app", root).json().at("/data/password").asText()).isEqualTo("hunter2");
        assertThat(node.logLines("unsealed through the azurekeyvault seal")).hasSize(1);
    }
}
