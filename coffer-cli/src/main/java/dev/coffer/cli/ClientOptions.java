package dev.coffer.cli;

import dev.coffer.api.ClientConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Flags shared by every command that talks to a server; each overrides its environment variable. */
final class ClientOptions {
    @Option(names = {"-address", "--address"}, paramLabel = "URL",
            description = "Server address (env VAULT_ADDR / COFFER_ADDR; default https://127.0.0.1:8200).")
    String address;

    @Option(names = {"-ca-cert", "--ca-cert"}, paramLabel = "FILE",
            description = "PEM file of CA certificates to trust instead of the system ones (env VAULT_CACERT).")
    Path caCert;

    @Option(names = {"-ca-path", "--ca-path"}, paramLabel = "DIR",
            description = "Directory of PEM CA certificates to trust (env VAULT_CAPATH).")
    Path caPath;

    @Option(names = {"-tls-skip-verify", "--tls-skip-verify"}, arity = "0..1", fallbackValue = "true",
            paramLabel = "BOOL",
            description = "INSECURE: accept any server certificate and host name (env VAULT_SKIP_VERIFY).")
    Boolean tlsSkipVerify;

    @Option(names = {"-tls-server-name", "--tls-server-name"}, paramLabel = "NAME",
            description = "Name to expect in the server certificate (env VAULT_TLS_SERVER_NAME).")
    String tlsServerName;

    @Option(names = {"-format", "--format"}, paramLabel = "FORMAT",
            description = "Output format: table or json (env VAULT_FORMAT; default table).")
    String format;

    /** Flags win over the environment. */
    ClientConfig apply(ClientConfig config) {
        ClientConfig result = config;
        if (address != null) {
            result = result.withAddress(address);
        }
        if (caCert != null) {
            result = result.withCaCert(caCert);
        }
        if (caPath != null) {
            result = result.withCaPath(caPath);
        }
        if (tlsSkipVerify != null) {
            result = result.withSkipVerify(tlsSkipVerify);
        }
        if (tlsServerName != null) {
            result = result.withTlsServerName(tlsServerName);
        }
        if (format != null) {
            result = result.withFormat(format);
        }
        return result;
    }
}
