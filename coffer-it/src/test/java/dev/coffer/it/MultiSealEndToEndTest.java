package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.seal.aws.AwsKmsFakeForTests;
import dev.coffer.seal.azure.AzureFakeForTests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several seals at once ({@code enable_multiseal = true}) end to end: a real {@code coffer server} process from the
 * shaded jar, wrapping its root key with Azure Key Vault (priority 1) and AWS KMS (priority 2), both the official SDKs
 * against the wire-faithful fakes running in this JVM. With both refusing at startup the node stays sealed and names
 * both; with AWS KMS back it unseals itself while Key Vault still refuses, and reports Key Vault unhealthy per seal;
 * once Key Vault answers again, it is healthy again, without a restart.
 */
@Timeout(300)
class MultiSealEndToEndTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final List<String> AZURE_PERMISSIONS = List.of("get", "wrapKey", "unwrapKey");

    @TempDir
    Path dir;

    private AzureFakeForTests azure;
    private AwsKmsFakeForTests aws;
    private CofferProcess server;
    private Path config;
    private int port;
    private List<String> jvmOptions;

    @BeforeEach
    void startFakesAndWriteConfig() {
        azure = AzureFakeForTests.start();
        aws = AwsKmsFakeForTests.start();
        port = CofferProcess.freePort();
        config = CofferProcess.write(dir.resolve("coffer.hcl"), CofferProcess.baseConfig(dir, port, "") + """
                enable_multiseal = true

                seal "azurekeyvault" {
                  name           = "azure"
                  priority       = 1
                  tenant_id      = "%s"
                  client_id      = "%s"
                  client_secret  = "%s"
                  vault_name     = "MyVaultUnsealKeyVault"
                  key_name       = "%s"
                  vault_url      = "%s"
                  authority_host = "%s"
                }

                seal "awskms" {
                  name       = "aws"
                  priority   = 2
                  region     = "us-east-1"
                  access_key = "%s"
                  secret_key = "%s"
                  kms_key_id = "%s"
                  endpoint   = "%s"
                }
                """.formatted(azure.tenantId(),
                azure.clientId(), azure.clientSecret(), azure.keyName(), azure.vaultUrl(), azure.authorityHost(),
                aws.accessKeyId(), aws.secretKey(), aws.alias(), aws.endpoint()));
        Path trustStore = azure.writeTrustStore(dir.resolve("azure-fake-trust.p12"), "changeit");
        Path hosts = azure.writeHostsFile(dir.resolve("hosts"));
        jvmOptions = List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=changeit",
                "-Djavax.net.ssl.trustStoreType=PKCS12", "-Djdk.net.hosts.file=" + hosts);
    }

    @AfterEach
    void stopAll() {
        if (server != null) {
            server.close();
        }
        if (azure != null) {
            azure.stop();
        }
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void oneSealDead_theNodeUnsealsThroughTheOther_andReportsItPerSeal_untilItIsBack() {
        server = CofferProcess.start(dir, config, port, jvmOptions);
        String root = init();
        assertThat(sealStatus().path("type").asText()).as("the highest-priority seal's type").isEqualTo("azurekeyvault");
        JsonNode both = backendStatus(root);
        assertThat(both.path("healthy").asBoolean()).as("%s", both).isTrue();
        assertThat(names(both)).containsExactly("azure", "aws");
        assertThat(aws.calls("Encrypt")).as("AWS KMS wrapped its copies at init").isGreaterThanOrEqualTo(2);

        // both refusing at startup: the node stays sealed and names each seal ...
        AZURE_PERMISSIONS.forEach(azure::deny);
        aws.deny("kms:Decrypt");
        restart();
        await("auto_unseal_error").atMost(DEADLINE).pollInterval(POLL)
                .failFast("the server exited", () -> !server.isAlive())
                .until(() -> !sealStatus().path("auto_unseal_error").asText("").isEmpty());
        assertThat(sealStatus().path("sealed").asBoolean()).isTrue();
        assertThat(sealStatus().path("auto_unseal_error").asText()).contains("seal \"azure\" (azurekeyvault)",
                "seal \"aws\" (awskms)");

        // ... AWS KMS back, Key Vault still refusing: the node unseals itself through AWS KMS within a retry ...
        int awsDecrypts = aws.calls("Decrypt");
        aws.allow("kms:Decrypt");
        awaitSelfUnsealed();
        assertThat(aws.calls("Decrypt")).as("AWS KMS unwrapped the root key").isGreaterThan(awsDecrypts);
        // ... and says per seal that Key Vault is down
        JsonNode degraded = backendStatus(root);
        assertThat(degraded.path("healthy").asBoolean()).as("%s", degraded).isFalse();
        assertThat(degraded.path("degraded").asBoolean()).as("%s", degraded).isTrue();
        assertThat(degraded.path("unhealthy_since").asText()).isNotEmpty();
        JsonNode azureBackend = degraded.path("backends").get(0);
        assertThat(azureBackend.path("name").asText()).isEqualTo("azure");
        assertThat(azureBackend.path("type").asText()).isEqualTo("azurekeyvault");
        assertThat(azureBackend.path("healthy").asBoolean()).isFalse();
        assertThat(azureBackend.path("unhealthy_since").asText()).isNotEmpty();
        assertThat(azureBackend.path("last_error").asText()).contains("PERMISSION_DENIED");
        assertThat(degraded.path("backends").get(1).path("healthy").asBoolean()).as("aws").isTrue();
        assertThat(server.output().lines().filter(l -> l.contains("seal \"azure\" (azurekeyvault) is unhealthy")))
                .as("one actionable line\n%s", server.output()).hasSize(1);
        assertThat(server.output()).doesNotContain(azure.clientSecret(), aws.secretKey());
        try (RawHttp http = new RawHttp(server.address())) {
            RawHttp.Response metrics = http.get("sys/metrics?format=prometheus", root);
            assertThat(metrics.body()).as("%s", metrics).contains("coffer_seal_backend_healthy{seal=\"azure\"} 0",
                    "coffer_seal_backend_healthy{seal=\"aws\"} 1", "coffer_seal_healthy{seal=\"azurekeyvault\"} 0");
        }

        // Key Vault back: healthy again without a restart
        AZURE_PERMISSIONS.forEach(azure::allow);
        await("seal \"azure\" healthy again").atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> backendStatus(root).path("healthy").asBoolean());
        assertThat(server.output()).contains("seal \"azure\" (azurekeyvault) is healthy again");
    }

    private String init() {
        try (RawHttp http = new RawHttp(server.address())) {
            RawHttp.Response r = http.put("sys/init", null, "{\"recovery_shares\": 3, \"recovery_threshold\": 2}");
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.json().path("recovery_keys")).hasSize(3);
            return r.json().path("root_token").asText();
        }
    }

    /** SIGTERM, wait for the exit, start again on the same data directory and port. */
    private void restart() {
        assertThat(server.stop()).as("exit code after SIGTERM\n%s", server.output()).isIn(0, 143);
        server = CofferProcess.start(dir, config, port, jvmOptions);
    }

    private void awaitSelfUnsealed() {
        await("self-unseal").atMost(DEADLINE).pollInterval(POLL)
                .failFast("the server exited", () -> !server.isAlive())
                .until(() -> !sealStatus().path("sealed").asBoolean(true));
    }

    private JsonNode sealStatus() {
        try (RawHttp http = new RawHttp(server.address())) {
            RawHttp.Response r = http.get("sys/seal-status", null);
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            return r.json();
        }
    }

    private JsonNode backendStatus(String token) {
        try (RawHttp http = new RawHttp(server.address())) {
            RawHttp.Response r = http.get("sys/seal-backend-status", token);
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            return r.json();
        }
    }

    private static List<String> names(JsonNode status) {
        List<String> out = new ArrayList<>();
        status.path("backends").forEach(b -> out.add(b.path("name").asText()));
        return out;
    }
}
