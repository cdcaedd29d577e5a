package dev.coffer.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Transport settings a {@link ClientConfig} does not carry, for programmatic clients such as the transit
 * seal: extra request headers (e.g. {@code X-Vault-Namespace}) and a TLS client certificate.
 *
 * @param headers    sent with every request; never printed by {@link #toString()} (values may be sensitive)
 * @param clientCert PEM file with the client certificate (chain), or null
 * @param clientKey  PEM file with its unencrypted private key (PKCS#8 or PKCS#1 RSA), or null; set both or neither
 */
public record TransportOptions(Map<String, String> headers, Path clientCert, Path clientKey) {
    public static final TransportOptions NONE = new TransportOptions(Map.of(), null, null);

    public TransportOptions {
        headers = Map.copyOf(Objects.requireNonNullElse(headers, Map.of()));
        if ((clientCert == null) != (clientKey == null)) {
            throw new ClientConfigException("a TLS client certificate needs both the certificate and the key file (got "
                    + (clientCert == null ? "only the key" : "only the certificate") + ")");
        }
    }

    @Override
    public String toString() {
        return "TransportOptions[headers=" + headers.keySet() + ", clientCert=" + clientCert + ", clientKey="
                + (clientKey == null ? "none" : clientKey) + "]";
    }
}
