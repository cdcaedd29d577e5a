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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixture of the Azure auto-unseal scenarios: the HTTPS fake of Key Vault + Entra ID in this JVM, a trust store
 * holding its certificate and a hosts file resolving its {@code *.localhost} name (both handed to the server JVM
 * through the JDK's standard properties, nothing in the product weakened), one {@code coffer server} process on
 * file storage in {@code dir}, and a CLI pointed at it.
 */
final class AzureSealedServer implements AutoCloseable {

    static final Duration SELF_UNSEAL_DEADLINE = Duration.ofSeconds(60);
    static final Duration POLL = Duration.ofMillis(200);
    private static final Pattern RECOVERY_KEY = Pattern.compile("(?m)^Recovery Key (\\d+): (\\S+)$");
    private static final Pattern ROOT_TOKEN = Pattern.compile("(?m)^Initial Root Token: (\\S+)$");

    final Path dir;
    final AzureFakeForTests azure;
    final int port;
    final Path config;
    final Path hosts;
    final List<String> jvmOptions;
    final Cli cli;
    private final Map<String, String> env = new HashMap<>();
    private CofferProcess server;

    /** What {@code operator init} printed with an auto seal. */
    record RecoveryInit(List<String> recoveryKeys, String rootToken) {
    }

    private AzureSealedServer(Path dir) {
        this.dir = dir;
        this.azure = AzureFakeForTests.start();
        this.port = CofferProcess.freePort();
        this.config = dir.resolve("coffer.hcl");
        Path trustStore = azure.writeTrustStore(dir.resolve("azure-fake-trust.p12"), "changeit");
        this.hosts = azure.writeHostsFile(dir.resolve("hosts"), localHostName());
        this.jvmOptions = List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=changeit",
                "-Djavax.net.ssl.trustStoreType=PKCS12", "-Djdk.net.hosts.file=" + hosts);
        this.cli = new Cli(dir, address());
    }

    /** Starts the fake and prepares {@code dir}; no server runs yet. */
    static AzureSealedServer prepare(Path dir) {
        return new AzureSealedServer(dir);
    }

    String address() {
        return "http://127.0.0.1:" + port;
    }

    /** The seed's first stanza (service principal with a client secret), pointed at the fake. */
    String clientSecretStanza(boolean disabled) {
        return """
                seal "azurekeyvault" {
                  tenant_id     = "%s"
                  client_id     = "%s"
                  client_secret = "%s"
                  vault_name    = "MyVaultUnsealKeyVault"
                  key_name      = "%s"
                  # test only: the fake instead of https://MyVaultUnsealKeyVault.vault.azure.net/ and login.microsoftonline.com
                  vault_url      = "%s"
                  authority_host = "%s"
                %s}
                """.formatted(azure.tenantId(), azure.clientId(), azure.clientSecret(), azure.keyName(),
                azure.vaultUrl(), azure.authorityHost(), disabled ? "  disabled = \"true\"\n" : "");
    }

    /**
     * The seed's second stanza (user-assigned managed identity by {@code client_id} alone). Only {@code vault_url}
     * is added; the identity endpoint comes from the environment, as on Azure (see {@link #useManagedIdentity()}).
     */
    String managedIdentityStanza() {
        return """
                seal "azurekeyvault" {
                  vault_name = "MyVaultUnsealKeyVault"
                  key_name   = "%s"
                  client_id  = "%s"
                  # test only: the fake instead of https://MyVaultUnsealKeyVault.vault.azure.net/
                  vault_url  = "%s"
                }
                """.formatted(azure.keyName(), azure.managedIdentityClientId(), azure.vaultUrl());
    }

    /** The server process gets IDENTITY_ENDPOINT/IDENTITY_HEADER, as Azure sets them for a managed identity. */
    void useManagedIdentity() {
        env.putAll(azure.managedIdentityEnvironment());
    }

    /** An extra environment variable for the next server starts. */
    void environment(String name, String value) {
        env.put(name, value);
    }

    /** Writes file storage, a plain-HTTP listener and {@code sealStanzas} (empty: Shamir) to {@link #config}. */
    void writeConfig(String sealStanzas) {
        CofferProcess.write(config, CofferProcess.baseConfig(dir, port, "") + "\n" + sealStanzas + "\n");
    }

    /** Starts the server from {@link #config} and waits until it answers HTTP (sealed or not). */
    CofferProcess start() {
        server = CofferProcess.start(dir, config, port, jvmOptions, env);
        return server;
    }

    CofferProcess server() {
        return server;
    }

    /** SIGTERM, wait for the exit, start again on the same data directory and port. */
    void restart() {
        // The JVM answers SIGTERM with 143 (128 + 15) once its shutdown hooks have run.
        assertThat(server.stop()).as("exit code after SIGTERM\n%s", server.output()).isIn(0, 143);
        assertThat(server.stdout()).contains("vault sealed");
        start();
    }

    /** SIGKILL (no shutdown hook runs), then start again. */
    void killNineAndStart() {
        server.kill();
        assertThat(server.stdout()).as("no graceful shutdown ran").doesNotContain("shutdown requested");
        start();
    }

    /** {@code operator init} with an auto seal: five recovery keys (threshold 3), a root token, no unseal keys. */
    RecoveryInit initWithRecoveryKeys() {
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
        return new RecoveryInit(List.copyOf(keys), token.group(1));
    }

    /**
     * Polls {@code GET sys/seal-status} (a CLI run costs a JVM start) until the node reports itself unsealed; nothing
     * but the KMS can have unsealed it when no key is submitted.
     */
    void awaitSelfUnsealed(Duration deadline) {
        await("self-unseal through the KMS").atMost(deadline).pollInterval(POLL)
                .failFast("the server exited", () -> !server.isAlive())
                .until(() -> !sealStatus().path("sealed").asBoolean(true));
    }

    void awaitSelfUnsealed() {
        awaitSelfUnsealed(SELF_UNSEAL_DEADLINE);
    }

    JsonNode sealStatus() {
        RawHttp.Response response = get("sys/seal-status", null);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json();
    }

    RawHttp.Response get(String path, String token) {
        try (RawHttp http = new RawHttp(address())) {
            return http.get(path, token);
        }
    }

    RawHttp.Response put(String path, String token, String body) {
        try (RawHttp http = new RawHttp(address())) {
            return http.put(path, token, body);
        }
    }

    /** Submits {@code keys} with {@code operator unseal [-migrate]} and checks the node ends up unsealed. */
    void unseal(List<String> keys, boolean migrate) {
        Result last = null;
        for (String key : keys) {
            last = migrate ? cli.run("operator", "unseal", "-migrate", key) : cli.run("operator", "unseal", key);
            assertThat(last.exitCode()).as("%s", last).isZero();
        }
        assertThat(last).isNotNull();
        assertThat(last.value("Sealed")).as("%s", last).isEqualTo("false");
    }

    /**
     * {@code PUT sys/unseal} for each key (a CLI run costs a JVM start; the CLI path is covered where it matters,
     * e.g. {@code -migrate}) and checks the node ends up unsealed.
     */
    void unsealOverHttp(List<String> keys) {
        RawHttp.Response last = null;
        for (String key : keys) {
            last = put("sys/unseal", null, "{\"key\":\"" + key + "\"}");
            assertThat(last.status()).as("%s", last).isEqualTo(200);
        }
        assertThat(last).isNotNull();
        assertThat(last.json().path("sealed").asBoolean(true)).as("%s", last).isFalse();
    }

    /** {@code PUT sys/init} with Shamir defaults (5 shares, threshold 3), over HTTP. */
    Cli.InitKeys initShamirOverHttp() {
        RawHttp.Response init = put("sys/init", null, "{\"secret_shares\":5,\"secret_threshold\":3}");
        assertThat(init.status()).as("%s", init).isEqualTo(200);
        List<String> keys = new ArrayList<>();
        init.json().path("keys").forEach(k -> keys.add(k.asText()));
        assertThat(keys).hasSize(5);
        return new Cli.InitKeys(List.copyOf(keys), init.json().path("root_token").asText());
    }

    List<String> logLines(String text) {
        return server.output().lines().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        azure.stop();
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
