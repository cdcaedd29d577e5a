package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.it.Cli.Result;
import dev.coffer.seal.azure.AzureFakeForTests;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private static final Duration SELF_UNSEAL_DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Pattern RECOVERY_KEY = Pattern.compile("(?m)^Recovery Key (\\d+): (\\S+)$");
    private static final Pattern ROOT_TOKEN = Pattern.compile("(?m)^Initial Root Token: (\\S+)$");

    @TempDir
    Path dir;

    private AzureFakeForTests azure;
    private CofferProcess server;
    private Path config;
    private int port;
    private List<String> jvmOptions;
    private Cli cli;

    record Init(List<String> recoveryKeys, String rootToken) {
    }

    @BeforeEach
    void startFakeAndWriteConfig() {
        azure = AzureFakeForTests.start();
        port = CofferProcess.freePort();
        config = CofferProcess.write(dir.resolve("coffer.hcl"), """
                storage "file" {
                  path = "%s"
                }
                listener "tcp" {
                  address     = "127.0.0.1:%d"
                  tls_disable = true
                }
                disable_mlock = true
                api_addr      = "http://127.0.0.1:%d"

                seal "azurekeyvault" {
                  tenant_id     = "%s"
                  client_id     = "%s"
                  client_secret = "%s"
                  vault_name    = "MyVaultUnsealKeyVault"
                  key_name      = "%s"
                  # test only: the fake instead of https://MyVaultUnsealKeyVault.vault.azure.net/ and login.microsoftonline.com
                  vault_url      = "%s"
                  authority_host = "%s"
                }
                """.formatted(dir.resolve("data").toString().replace("\\", "\\\\"), port, port, azure.tenantId(),
                azure.clientId(), azure.clientSecret(), azure.keyName(), azure.vaultUrl(), azure.authorityHost()));
        Path trustStore = azure.writeTrustStore(dir.resolve("azure-fake-trust.p12"), "changeit");
        Path hosts = azure.writeHostsFile(dir.resolve("hosts"), localHostName());
        jvmOptions = List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=changeit",
                "-Djavax.net.ssl.trustStoreType=PKCS12", "-Djdk.net.hosts.file=" + hosts);
        cli = new Cli(dir, "http://127.0.0.1:" + port);
    }

    @AfterEach
    void stopAll() {
        if (server != null) {
            server.close();
        }
        if (azure != null) {
            azure.stop();
        }
    }

    @Test
    void seedStanza_autoUnsealsAfterRestart_reportsKmsDenial_survivesKeyRotation_recoveryKeysAfterOperatorSeal() {
        // TLS is really verified: without the fake's certificate in its trust store the server cannot read the key
        server = CofferProcess.start(dir, config, port, List.of("-Djdk.net.hosts.file=" + dir.resolve("hosts")));
        await("the untrusted certificate is reported").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                .until(() -> !logLines(server, "cannot read key").isEmpty());
        assertThat(logLines(server, "cannot read key")).first().asString().contains("UNREACHABLE", "SSLHandshakeException", "trust store");
        assertThat(azure.calls("get")).as("no request got through TLS").isZero();
        server.stop();

        // init: recovery keys and a root token, no unseal keys; the node unseals at once
        startServer();
        Init init = init();
        Result status = cli.run("status");
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.value("Seal Type")).isEqualTo("azurekeyvault");
        assertThat(status.value("Recovery Seal Type")).isEqualTo("shamir");
        assertThat(status.value("Sealed")).isEqualTo("false");
        assertThat(status.value("Total Recovery Shares")).isEqualTo("5");
        assertThat(status.value("Threshold")).isEqualTo("3");

        // restart: the node unseals itself through Key Vault, no key typed
        int unwrapsBefore = azure.calls("unwrapkey");
        restart();
        awaitSelfUnsealed();
        Result selfUnsealed = cli.run("status");
        assertThat(selfUnsealed.exitCode()).as("%s", selfUnsealed).isZero();
        assertThat(selfUnsealed.value("Seal Type")).isEqualTo("azurekeyvault");
        assertThat(selfUnsealed.value("Sealed")).isEqualTo("false");
        assertThat(azure.calls("unwrapkey")).as("the restarted node asked Key Vault to unwrap").isGreaterThan(unwrapsBefore);

        // get and unwrapKey denied at boot: the node still starts, stays sealed, says why in status and once in
        // its log, retries ...
        azure.deny("get");
        azure.deny("unwrapKey");
        restart();
        await("auto_unseal_error in sys/seal-status").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                .until(() -> !sealStatus().path("auto_unseal_error").asText("").isEmpty());
        Result denied = cli.run("status");
        assertThat(denied.exitCode()).as("%s", denied).isEqualTo(2);
        assertThat(denied.value("Sealed")).isEqualTo("true");
        assertThat(denied.value("Auto Unseal Error")).contains("'unwrapKey'", "denied", azure.keyName(),
                "Key Vault Crypto Service Encryption User").doesNotContain(azure.clientSecret());
        int deniedCalls = azure.calls("unwrapkey");
        await("a retry").atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> azure.calls("unwrapkey") > deniedCalls);
        assertThat(logLines(server, "cannot unseal through the azurekeyvault seal")).as("%s", server.output())
                .hasSize(1).first().asString().contains("PERMISSION_DENIED", "'unwrapKey'");
        assertThat(server.output()).doesNotContain(azure.clientSecret());
        assertThat(server.isAlive()).isTrue();
        // ... and unseals by itself within a retry interval once the permissions are granted
        azure.allow("get");
        azure.allow("unwrapKey");
        awaitSelfUnsealed();

        // key rotated in Key Vault: the next unseal re-wraps the stored blobs under the new version ...
        String original = azure.currentVersion();
        String rotated = azure.rotateKey();
        restart();
        awaitSelfUnsealed();
        await("re-wrap logged").atMost(Duration.ofSeconds(10)).pollInterval(POLL)
                .until(() -> !logLines(server, "re-wrapped under azurekeyvault key version " + rotated).isEmpty());
        // ... so the old version can be disabled and the node still unseals itself
        azure.disableVersion(original);
        restart();
        awaitSelfUnsealed();

        // operator seal: now only a threshold of recovery keys unseals (the recovery key was re-wrapped too)
        Result seal = cli.withToken(init.rootToken()).run("operator", "seal");
        assertThat(seal.exitCode()).as("%s", seal).isZero();
        Result sealed = cli.run("status");
        assertThat(sealed.exitCode()).as("%s", sealed).isEqualTo(2);
        assertThat(sealed.value("Sealed")).isEqualTo("true");
        assertThat(sealed.stdout()).doesNotContain("Auto Unseal Error");
        unsealWithRecoveryKeys(init);
    }

    private void startServer() {
        server = CofferProcess.start(dir, config, port, jvmOptions);
    }

    /** SIGTERM, wait for the exit, start again on the same data directory and port. */
    private void restart() {
        // The JVM answers SIGTERM with 143 (128 + 15) once its shutdown hooks have run.
        assertThat(server.stop()).as("exit code after SIGTERM\n%s", server.output()).isIn(0, 143);
        assertThat(server.stdout()).contains("vault sealed");
        startServer();
    }

    private Init init() {
        Result result = cli.run("operator", "init");
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).doesNotContain("Unseal Key");
        List<String> keys = new ArrayList<>();
        Matcher key = RECOVERY_KEY.matcher(result.stdout());
        while (key.find()) {
            assertThat(Integer.parseInt(key.group(1))).isEqualTo(keys.size() + 1);
            keys.add(key.group(2));
        }
        assertThat(keys).as("%s", result).hasSize(5);
        Matcher token = ROOT_TOKEN.matcher(result.stdout());
        assertThat(token.find()).as("root token in %s", result).isTrue();
        return new Init(List.copyOf(keys), token.group(1));
    }

    /**
     * Polls {@code GET sys/seal-status} (a CLI run costs a JVM start) until the node reports itself unsealed; nothing
     * but the KMS can have unsealed it, as no key is submitted.
     */
    private void awaitSelfUnsealed() {
        await("self-unseal through Azure Key Vault").atMost(SELF_UNSEAL_DEADLINE).pollInterval(POLL)
                .failFast("the server exited", () -> !server.isAlive())
                .until(() -> !sealStatus().path("sealed").asBoolean(true));
    }

    private JsonNode sealStatus() {
        try (RawHttp http = new RawHttp(server.address())) {
            RawHttp.Response response = http.get("sys/seal-status", null);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            return response.json();
        }
    }

    private void unsealWithRecoveryKeys(Init init) {
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

    /** Listed in the child's hosts file too, in case anything in the server looks up its own name. */
    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
