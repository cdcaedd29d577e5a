package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS against a self-signed certificate made with the JDK's keytool, and unreachable servers. */
class TlsAndConnectionTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path tls;
    @TempDir
    Path home;
    private static FakeVault vault;
    private static Path caPem;

    @BeforeAll
    static void startHttpsFake() throws Exception {
        Path keystore = tls.resolve("server.p12");
        caPem = tls.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD));
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-file", caPem.toString());
        vault = FakeVault.https(serverContext(keystore))
                .on("GET /v1/sys/seal-status", 200, FakeVault.UNSEALED).on("GET /v1/sys/leader", 200, FakeVault.NO_HA);
    }

    @AfterAll
    static void stopFake() {
        vault.close();
    }

    @Test
    void caCertVariable_trustsTheSelfSignedServer() {
        CliRunner.Result result = new CliRunner(home).env("VAULT_ADDR", vault.address())
                .env("VAULT_CACERT", caPem.toString()).run("status");

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void caPathDirectory_trustsTheSelfSignedServer() {
        CliRunner.Result result = new CliRunner(home).env("VAULT_ADDR", vault.address())
                .env("VAULT_CAPATH", tls.toString()).run("status");

        assertThat(result.exitCode()).isZero();
    }

    @Test
    void withoutCa_handshakeFailsWithAdvice() {
        CliRunner.Result result = new CliRunner(home).env("VAULT_ADDR", vault.address()).run("status");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error checking seal status: Error connecting to " + vault.address())
                .contains("VAULT_CACERT");
    }

    @Test
    void skipVerify_acceptsAnUntrustedCertificateAndAnyServerName() {
        CliRunner.Result result = new CliRunner(home).env("VAULT_ADDR", vault.address())
                .env("VAULT_SKIP_VERIFY", "true").run("status", "-tls-server-name=not-in-cert.example");

        assertThat(result.exitCode()).isZero();
    }

    @Test
    void tlsServerName_mustMatchTheCertificate() {
        CliRunner runner = new CliRunner(home).env("VAULT_ADDR", vault.address()).env("VAULT_CACERT", caPem.toString());

        assertThat(runner.run("status", "-tls-server-name=localhost").exitCode()).isZero();
        CliRunner.Result wrong = runner.run("status", "-tls-server-name=other.example");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("other.example");
    }

    @Test
    void refusedConnection_namesTheAddressAndWhatToCheck() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliRunner.Result result = new CliRunner(home).env("VAULT_ADDR", "http://127.0.0.1:" + port).run("status");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Error checking seal status: Error connecting to http://127.0.0.1:" + port)
                .contains("VAULT_ADDR").contains("http or https");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool: %s", output).isZero();
    }

    private static SSLContext serverContext(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
