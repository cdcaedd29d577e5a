package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.it.Cli.Result;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A TLS listener with a self-signed certificate, reached by the CLI only when told to trust it. */
@Timeout(600)
class TlsTest {

    @TempDir
    Path dir;

    private CofferProcess server;

    @AfterEach
    void killServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void cliReachesTlsServer_withItsCaCert_andRefusesItWithout() throws Exception {
        KeyPair keyPair = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate certificate = selfSigned(keyPair);
        Path cert = writePem(dir.resolve("cert.pem"), certificate);
        Path key = writePem(dir.resolve("key.pem"), new JcaPKCS8Generator(keyPair.getPrivate(), null));

        int port = CofferProcess.freePort();
        String address = "https://127.0.0.1:" + port;
        Path config = CofferProcess.write(dir.resolve("tls.hcl"), """
                storage "file" {
                  path = "%s"
                }
                listener "tcp" {
                  address       = "127.0.0.1:%d"
                  tls_disable   = false
                  tls_cert_file = "%s"
                  tls_key_file  = "%s"
                }
                disable_mlock = true
                api_addr      = "%s"
                """.formatted(dir.resolve("data"), port, cert, key, address));
        server = CofferProcess.launch(dir, address, List.of("server", "-config=" + config))
                .awaitHealth(trusting(certificate));

        Cli cli = new Cli(dir, address);
        Result trusted = cli.with("VAULT_CACERT", cert.toString()).run("status");
        assertThat(trusted.exitCode()).as("%s", trusted).isEqualTo(2);
        assertThat(trusted.value("Initialized")).isEqualTo("false");

        Result untrusted = cli.run("status");
        assertThat(untrusted.exitCode()).as("%s", untrusted).isEqualTo(1);
        assertThat(untrusted.stderr()).containsIgnoringCase("certificate").contains("VAULT_CACERT");
        assertThat(untrusted.stdout()).isEmpty();
    }

    private static X509Certificate selfSigned(KeyPair keyPair) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=coffer-it");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name,
                keyPair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
    }

    private static Path writePem(Path file, Object value) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(value);
        }
        return file;
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("coffer-it", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
