package dev.coffer.seal.azure;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;

/** A service principal's self-signed RSA certificate and key, as an operator uploads it to an app registration. */
record ServicePrincipalCertificate(KeyPair keys, X509Certificate certificate) {

    static ServicePrincipalCertificate generate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=coffer-seal service principal");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                subject, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), subject, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        return new ServicePrincipalCertificate(keys, certificate);
    }

    /** The PEM file AZURE_CLIENT_CERTIFICATE_PATH names: the PKCS#8 private key and the certificate. */
    Path writePem(Path file) throws IOException, java.security.cert.CertificateEncodingException {
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes());
        return Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    }
}
