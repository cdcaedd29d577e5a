package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.it.Cli.Result;
import dev.coffer.seal.azure.AzureFakeForTests.Request;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's second stanza: a user-assigned managed identity named by {@code client_id} alone. The server process
 * gets {@code IDENTITY_ENDPOINT}/{@code IDENTITY_HEADER} as Azure App Service / Functions / Container Apps set them,
 * pointing at the fake's managed identity endpoint, and the SDK's ManagedIdentityCredential fetches its tokens there.
 */
@Timeout(180)
class AzureManagedIdentityTest {

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
    void managedIdentityStanza_initRestart_unsealsItself() {
        node = AzureSealedServer.prepare(dir);
        node.writeConfig(node.managedIdentityStanza());
        node.useManagedIdentity();
        node.start();

        AzureSealedServer.RecoveryInit init = node.initWithRecoveryKeys();
        assertThat(init.rootToken()).isNotBlank();
        node.restart();
        node.awaitSelfUnsealed();

        Result status = node.cli.run("status");
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.value("Seal Type")).isEqualTo("azurekeyvault");
        assertThat(status.value("Recovery Seal Type")).isEqualTo("shamir");
        assertThat(status.value("Sealed")).isEqualTo("false");
        // every token came from the managed identity endpoint, none from the client-secret flow
        assertThat(node.azure.requests()).extracting(Request::endpoint).contains("msi", "wrapkey", "unwrapkey")
                .doesNotContain("token");
        assertThat(node.azure.calls("unwrapkey")).as("the restart unwrapped through Key Vault").isGreaterThanOrEqualTo(1);
    }
}
