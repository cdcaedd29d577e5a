package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.it.Cli.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key Vault goes down while the node is unsealed: the node keeps serving (the root key is in memory), the health
 * check reports the seal unhealthy with the failure class in {@code sys/seal-backend-status} and {@code status},
 * and healthy again once Key Vault is back. The check interval is shortened to 2 s through
 * {@code COFFER_SEAL_HEALTH_CHECK_INTERVAL} (the default is one minute).
 */
@Timeout(180)
class AzureKmsOutageWhileServingTest {

    private static final Duration HEALTH_DEADLINE = Duration.ofSeconds(30);

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
    void keyVaultDownWhileUnsealed_keepsServing_reportsUnhealthy_thenHealthyAgain() {
        node = AzureSealedServer.prepare(dir);
        node.writeConfig(node.clientSecretStanza(false));
        node.environment("COFFER_SEAL_HEALTH_CHECK_INTERVAL", "2s");
        node.start();
        String root = node.initWithRecoveryKeys().rootToken();
        assertThat(node.put("sys/mounts/secret", root, "{\"type\":\"kv\"}").status()).isLessThan(300);
        assertThat(node.put("secret/app", root, "{\"password\":\"before\"}").status()).isLessThan(300);
        await("first health check").atMost(HEALTH_DEADLINE).pollInterval(AzureSealedServer.POLL)
                .until(() -> backendStatus(root).path("backends").path(0).has("last_checked"));
        assertThat(backendStatus(root).path("healthy").asBoolean()).isTrue();

        node.azure.goDown();
        await("seal reported unhealthy").atMost(HEALTH_DEADLINE).pollInterval(AzureSealedServer.POLL)
                .until(() -> !backendStatus(root).path("healthy").asBoolean(true));
        JsonNode down = backendStatus(root);
        assertThat(down.path("unhealthy_since").asText()).isNotEmpty();
        assertThat(down.path("backends").path(0).path("last_error").asText())
                .startsWith("UNREACHABLE: ").contains("cannot reach Key Vault", node.azure.vaultUrl());

        // still unsealed and serving reads and writes
        assertThat(node.sealStatus().path("sealed").asBoolean(true)).isFalse();
        assertThat(node.put("secret/app", root, "{\"password\":\"during\"}").status()).isLessThan(300);
        RawHttp.Response read = node.get("secret/app", root);
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        assertThat(read.json().at("/data/password").asText()).isEqualTo("during");
        Result status = node.cli.withToken(root).run("status");
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.value("Sealed")).isEqualTo("false");
        assertThat(status.value("Seal Healthy")).isEqualTo("false");
        assertThat(status.value("Seal Error")).startsWith("UNREACHABLE: ");
        assertThat(node.cli.run("status").stdout()).as("no token: no health rows").doesNotContain("Seal Healthy");

        node.azure.comeBack();
        await("seal healthy again").atMost(HEALTH_DEADLINE).pollInterval(AzureSealedServer.POLL)
                .until(() -> backendStatus(root).path("healthy").asBoolean(false));
        assertThat(backendStatus(root).has("unhealthy_since")).isFalse();
        assertThat(node.cli.withToken(root).run("status").value("Seal Healthy")).isEqualTo("true");
        assertThat(node.logLines("seal is unhealthy (UNREACHABLE)")).as("one line per outage\n%s", node.server().output())
                .hasSize(1);
        assertThat(node.logLines("seal is healthy again")).hasSize(1);
        assertThat(node.server().output()).doesNotContain(node.azure.clientSecret());
    }

    private JsonNode backendStatus(String token) {
        RawHttp.Response response = node.get("sys/seal-backend-status", token);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json();
    }
}
