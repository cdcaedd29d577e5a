package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.storage.InmemBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsListenerTest {
    @TempDir
    Path dir;

    private Listener start(Core core, TestCertificates certs, String minVersion) {
        return Listener.start(new ListenerConfig("tcp", "127.0.0.1:0", null, false, certs.certFile(), certs.keyFile(),
                minVersion, null, 1 << 20, Duration.ofSeconds(90)), core, null, null);
    }

    @Test
    void servesTheApiOverTlsWithAPemCertificate() throws Exception {
        TestCertificates certs = TestCertificates.generate(dir);
        try (Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem")); Listener l = start(core, certs, "tls12")) {
            assertThat(l.url()).startsWith("https://");
            HttpClient client = HttpClient.newBuilder().sslContext(certs.clientContext()).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(l.url() + "/v1/sys/seal-status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"initialized\":false");
        }
    }

    @Test
    void clientsThatDoNotTrustTheCertificateAreRefused() throws Exception {
        TestCertificates certs = TestCertificates.generate(dir);
        try (Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem")); Listener l = start(core, certs, "tls12")) {
            HttpClient client = HttpClient.newHttpClient();
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(l.url() + "/v1/sys/health")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void anUnsupportedKeyFormatFailsWithAConversionHint() throws Exception {
        TestCertificates certs = TestCertificates.generate(dir);
        try (Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem"))) {
            ListenerConfig sec1 = new ListenerConfig("tcp", "127.0.0.1:0", null, false, certs.certFile(),
                    dir.resolve("key-sec1.pem"), "tls12", null, 1 << 20, Duration.ofSeconds(90));
            assertThatThrownBy(() -> Listener.start(sec1, core, null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tls_key_file").hasMessageContaining("openssl pkcs8 -topk8");
        }
    }

    @Test
    void tlsMinVersion13RefusesATls12OnlyClient() throws Exception {
        TestCertificates certs = TestCertificates.generate(dir);
        try (Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem")); Listener l = start(core, certs, "tls13")) {
            SSLParameters only12 = new SSLParameters();
            only12.setProtocols(new String[] {"TLSv1.2"});
            HttpClient old = HttpClient.newBuilder().sslContext(certs.clientContext()).sslParameters(only12).build();
            assertThatThrownBy(() -> old.send(HttpRequest.newBuilder(URI.create(l.url() + "/v1/sys/health")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            HttpClient modern = HttpClient.newBuilder().sslContext(certs.clientContext()).build();
            assertThat(modern.send(HttpRequest.newBuilder(URI.create(l.url() + "/v1/sys/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(501);
        }
    }
}
