package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coffer.it.Cli.Result;
import dev.coffer.seal.azure.AzureFakeForTests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed request (auto-unseal with Azure Key Vault) end to end: real {@code coffer server} and CLI processes from
 * the shaded coffer.jar, the seed's service-principal stanza verbatim, and the wire-faithful HTTPS fake of Key Vault
 * and Entra ID running in this JVM. The only test-specific stanza lines are {@code vault_url} and
 * {@code authority_host}; the server trusts the fake's certificate through the JDK's standard trust store
 * properties and resolves the fake's {@code *.localhost} host name through a hosts file.
 */
@Timeout(300)
class SeedScenarioTest {

    private static final Duration POLL = AzureSealedServer.POLL;

    @TempDir
    Path dir;

    private AzureSealedServer node;
    private AzureFakeForTests azure;
    private Cli cli;

    @BeforeEach
    void startFakeAndWriteConfig() {
        node = AzureSealedServer.prepare(dir);
        node.writeConfig(node.clientSecretStanza(false));
        azure = node.azure;
        cli = node.cli;
    }

    @AfterEach
    void stopAll() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void seedStanza_autoUnsealsAfterRestart_reportsKmsDenial_survivesKeyRotation_recoveryKeysAfterOperatorSeal() {
        // TLS is really verified: without the fake's certificate in its trust store the server cannot read the key
        try (CofferProcess untrusted = CofferProcess.start(dir, node.config, node.port,
                List.of("-Djdk.net.hosts.file=" + node.hosts))) {
            await("the untrusted certificate is reported").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                    .until(() -> !logLines(untrusted, "cannot read key").isEmpty());
            assertThat(logLines(untrusted, "cannot read key")).first().asString()
                    .contains("UNREACHABLE", "SSLHandshakeException", "trust store");
            assertThat(azure.calls("get")).as("no request got through TLS").isZero();
            untrusted.stop();
        }

        // init: recovery keys and a root token, no unseal keys; the node unseals at once
        node.start();
        AzureSealedServer.RecoveryInit init = node.initWithRecoveryKeys();
        Result status = cli.run("status");
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.value("Seal Type")).isEqualTo("azurekeyvault");
        assertThat(status.value("Recovery Seal Type")).isEqualTo("shamir");
        assertThat(status.value("Sealed")).isEqualTo("false");
        assertThat(status.value("Total Recovery Shares")).isEqualTo("5");
        assertThat(status.value("Threshold")).isEqualTo("3");

        // restart: the node unseals itself through Key Vault, no key typed
        int unwrapsBefore = azure.calls("unwrapkey");
        node.restart();
        node.awaitSelfUnsealed();
        Result selfUnsealed = cli.run("status");
        assertThat(selfUnsealed.exitCode()).as("%s", selfUnsealed).isZero();
        assertThat(selfUnsealed.value("Seal Type")).isEqualTo("azurekeyvault");
        assertThat(selfUnsealed.value("Sealed")).isEqualTo("false");
        assertThat(azure.calls("unwrapkey")).as("the restarted node asked Key Vault to unwrap").isGreaterThan(unwrapsBefore);

        // get and unwrapKey denied at boot: the node still starts, stays sealed, says why in status and once in
        // its log, retries ...
        azure.deny("get");
        azure.deny("unwrapKey");
        node.restart();
        await("auto_unseal_error in sys/seal-status").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                .until(() -> !node.sealStatus().path("auto_unseal_error").asText("").isEmpty());
        Result denied = cli.run("status");
        assertThat(denied.exitCode()).as("%s", denied).isEqualTo(2);
        assertThat(denied.value("Sealed")).isEqualTo("true");
        assertThat(denied.value("Auto Unseal Error")).contains("'unwrapKey'", "denied", azure.keyName(),
                "Key Vault Crypto Service Encryption User").doesNotContain(azure.clientSecret());
        int deniedCalls = azure.calls("unwrapkey");
        await("a retry").atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> azure.calls("unwrapkey") > deniedCalls);
        assertThat(node.logLines("cannot unseal through the azurekeyvault seal")).as("%s", node.server().output())
                .hasSize(1).first().asString().contains("PERMISSION_DENIED", "'unwrapKey'");
        assertThat(node.server().output()).doesNotContain(azure.clientSecret());
        assertThat(node.server().isAlive()).isTrue();
        // ... and unseals by itself within a retry interval once the permissions are granted
        azure.allow("get");
        azure.allow("unwrapKey");
        node.awaitSelfUnsealed();

        // key rotated in Key Vault: the next unseal re-wraps the stored blobs under the new version ...
        String original = azure.currentVersion();
        String rotated = azure.rotateKey();
        node.restart();
        node.awaitSelfUnsealed();
        await("re-wrap logged").atMost(Duration.ofSeconds(10)).pollInterval(POLL)
                .until(() -> !node.logLines("re-wrapped under azurekeyvault key version " + rotated).isEmpty());
        // ... so the old version can be disabled and the node still unseals itself
        azure.disableVersion(original);
        node.restart();
        node.awaitSelfUnsealed();

        // operator seal: now only a threshold of recovery keys unseals (the recovery key was re-wrapped too)
        Result seal = cli.withToken(init.rootToken()).run("operator", "seal");
        assertThat(seal.exitCode()).as("%s", seal).isZero();
        Result sealed = cli.run("status");
        assertThat(sealed.exitCode()).as("%s", sealed).isEqualTo(2);
        assertThat(sealed.value("Sealed")).isEqualTo("true");
        assertThat(sealed.stdout()).doesNotContain("Auto Unseal Error");
        unsealWithRecoveryKeys(init);
    }

    private void unsealWithRecoveryKeys(AzureSealedServer.RecoveryInit init) {
        Result last = null;
        for (int i = 0; i < 3; i++) {
            last = cli.run("operator", "unseal", init.recoveryKeys().get(i));
            assertThat(last.exitCode()).as("recovery key %d: %s", i + 1, last).isZero();
        }
        assertThat(last.value("Sealed")).as("%s", last).isEqualTo("false");
        Result status = cli.run("status");
        assertThat(status.exitCode()).as("%s", status).isZero();
    }

    private static List<String> logLines(CofferProcess process, String text) {
        return process.output().lines().filter(l -> l.contains(text)).toList();
    }
}
