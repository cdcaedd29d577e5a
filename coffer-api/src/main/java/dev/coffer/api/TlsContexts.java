package dev.coffer.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the SSLContext a client uses from its CA, skip-verify and server-name settings. */
final class TlsContexts {
    private static final String PEM_MARKER = "-----BEGIN CERTIFICATE-----";

    private TlsContexts() {
    }

    /** Returns null when the JDK defaults (system trust store, normal host name check) apply. */
    static SSLContext create(ClientConfig config) {
        return create(config, TransportOptions.NONE);
    }

    /** As {@link #create(ClientConfig)}, presenting {@code options}' client certificate when it has one. */
    static SSLContext create(ClientConfig config, TransportOptions options) {
        try {
            X509ExtendedTrustManager trust = trustManager(config);
            KeyManager[] identity = options.clientCert() == null ? null
                    : ClientIdentity.keyManagers(options.clientCert(), options.clientKey());
            if (trust == null && identity == null) {
                return null;
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(identity, trust == null ? null : new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ClientConfigException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager trustManager(ClientConfig config) throws GeneralSecurityException {
        if (config.skipVerify()) {
            return new TrustAllManager();
        }
        List<Certificate> cas = trustedCertificates(config);
        if (cas.isEmpty() && config.tlsServerName() == null) {
            return null;
        }
        X509ExtendedTrustManager pkix = pkixManager(cas.isEmpty() ? null : keyStore(cas));
        return config.tlsServerName() == null ? pkix : new ServerNameTrustManager(pkix, config.tlsServerName());
    }

    private static List<Certificate> trustedCertificates(ClientConfig config) {
        if (config.caCert() != null) {
            List<Certificate> certs = readPem(config.caCert());
            if (certs.isEmpty()) {
                throw new ClientConfigException("VAULT_CACERT " + config.caCert() + " holds no PEM certificate");
            }
            return certs;
        }
        if (config.caPath() != null) {
            return readDirectory(config.caPath());
        }
        return List.of();
    }

    private static List<Certificate> readDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ClientConfigException("VAULT_CAPATH " + dir + " is not a directory");
        }
        List<Certificate> certs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).sorted().filter(TlsContexts::looksLikePem)
                    .forEach(file -> certs.addAll(readPem(file)));
        } catch (IOException e) {
            throw new ClientConfigException("cannot list VAULT_CAPATH " + dir + ": " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new ClientConfigException("VAULT_CAPATH " + dir + " holds no PEM certificate");
        }
        return certs;
    }

    private static boolean looksLikePem(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1).contains(PEM_MARKER);
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Certificate> readPem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            return List.copyOf(certs);
        } catch (IOException | GeneralSecurityException e) {
            throw new ClientConfigException("cannot read CA certificates from " + file + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore keyStore(List<Certificate> cas) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca-" + i, cas.get(i));
        }
        return store;
    }

    /** {@code store == null} means the JDK's default trust store. */
    private static X509ExtendedTrustManager pkixManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }
}
