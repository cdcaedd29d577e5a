package dev.coffer.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of a {@link CofferClient}, usually read from the environment and then overridden by CLI flags.
 *
 * <p>Every setting {@code VAULT_X} may also be given as {@code COFFER_X}. When both are set, {@code VAULT_X}
 * wins: it is the name Vault tooling, scripts and CI images already export, so a stale {@code COFFER_X}
 * can never silently redirect a command that a user pointed somewhere with {@code VAULT_X}.
 *
 * @param address       base URL of the server, e.g. {@code https://127.0.0.1:8200}
 * @param token         the token sent as {@code X-Vault-Token}, or null; never printed by {@link #toString()}
 * @param caCert        PEM file holding one or more CA certificates to trust instead of the system ones, or null
 * @param caPath        directory of PEM files to trust, or null; ignored when {@code caCert} is set
 * @param skipVerify    <b>insecure</b>: accept any server certificate and host name (testing only)
 * @param tlsServerName name to expect in the server certificate instead of the address's host, or null
 * @param format        output format for the CLI ({@code table} or {@code json}), or null for the default
 * @param timeout       per-request timeout (also used for connecting)
 * @param maxRetries    extra attempts after connection failures and 412/500/502/504 answers
 */
public record ClientConfig(String address, String token, Path caCert, Path caPath, boolean skipVerify,
                           String tlsServerName, String format, Duration timeout, int maxRetries) {
    public static final String DEFAULT_ADDRESS = "https://127.0.0.1:8200";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RETRIES = 2;
    /** Token file in the user's home directory, shared with Vault's CLI. */
    public static final String TOKEN_FILE = ".vault-token";

    public ClientConfig {
        address = stripTrailingSlash(address == null || address.isBlank() ? DEFAULT_ADDRESS : address.strip());
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ClientConfigException("client timeout must be positive, got " + timeout);
        }
        if (maxRetries < 0) {
            throw new ClientConfigException("max retries must not be negative, got " + maxRetries);
        }
    }

    /** Defaults only: the default address, no token, system trust store. */
    public static ClientConfig defaults() {
        return new ClientConfig(null, null, null, null, false, null, null, null, DEFAULT_MAX_RETRIES);
    }

    /** Reads the settings from {@code env}, falling back to the token file in {@code home}. */
    public static ClientConfig fromEnvironment(Map<String, String> env, Path home) {
        String address = lookup(env, "ADDR");
        String token = lookup(env, "TOKEN");
        if (token == null && home != null) {
            token = readTokenFile(home.resolve(TOKEN_FILE));
        }
        return new ClientConfig(address, token, path(lookup(env, "CACERT")), path(lookup(env, "CAPATH")),
                parseBool("SKIP_VERIFY", lookup(env, "SKIP_VERIFY")), lookup(env, "TLS_SERVER_NAME"),
                lookup(env, "FORMAT"), parseTimeout(lookup(env, "CLIENT_TIMEOUT")),
                parseRetries(lookup(env, "MAX_RETRIES")));
    }

    /** Returns {@code VAULT_<suffix>}, else {@code COFFER_<suffix>}, else null; blank values count as unset. */
    public static String lookup(Map<String, String> env, String suffix) {
        String vault = env.get("VAULT_" + suffix);
        if (vault != null && !vault.isBlank()) {
            return vault.strip();
        }
        String coffer = env.get("COFFER_" + suffix);
        return coffer == null || coffer.isBlank() ? null : coffer.strip();
    }

    public ClientConfig withAddress(String newAddress) {
        return new ClientConfig(newAddress, token, caCert, caPath, skipVerify, tlsServerName, format, timeout, maxRetries);
    }

    public ClientConfig withToken(String newToken) {
        return new ClientConfig(address, newToken, caCert, caPath, skipVerify, tlsServerName, format, timeout, maxRetries);
    }

    public ClientConfig withCaCert(Path newCaCert) {
        return new ClientConfig(address, token, newCaCert, caPath, skipVerify, tlsServerName, format, timeout, maxRetries);
    }

    public ClientConfig withCaPath(Path newCaPath) {
        return new ClientConfig(address, token, caCert, newCaPath, skipVerify, tlsServerName, format, timeout, maxRetries);
    }

    /** {@code true} disables certificate and host name checks: anyone on the network path can impersonate the server. */
    public ClientConfig withSkipVerify(boolean newSkipVerify) {
        return new ClientConfig(address, token, caCert, caPath, newSkipVerify, tlsServerName, format, timeout, maxRetries);
    }

    public ClientConfig withTlsServerName(String newName) {
        return new ClientConfig(address, token, caCert, caPath, skipVerify, newName, format, timeout, maxRetries);
    }

    public ClientConfig withFormat(String newFormat) {
        return new ClientConfig(address, token, caCert, caPath, skipVerify, tlsServerName, newFormat, timeout, maxRetries);
    }

    public ClientConfig withTimeout(Duration newTimeout) {
        return new ClientConfig(address, token, caCert, caPath, skipVerify, tlsServerName, format, newTimeout, maxRetries);
    }

    public ClientConfig withMaxRetries(int newMaxRetries) {
        return new ClientConfig(address, token, caCert, caPath, skipVerify, tlsServerName, format, timeout, newMaxRetries);
    }

    /** Like the record's default, but the token is redacted so configs can be logged safely. */
    @Override
    public String toString() {
        return "ClientConfig[address=" + address + ", token=" + (token == null ? "<none>" : "<redacted>")
                + ", caCert=" + caCert + ", caPath=" + caPath + ", skipVerify=" + skipVerify
                + ", tlsServerName=" + tlsServerName + ", format=" + format + ", timeout=" + timeout
                + ", maxRetries=" + maxRetries + "]";
    }

    private static String readTokenFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? null : token;
        } catch (IOException e) {
            throw new ClientConfigException("cannot read token file " + file + ": " + e.getMessage()
                    + "; fix its permissions or set VAULT_TOKEN", e);
        }
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    /** Accepts the spellings Go's strconv.ParseBool accepts, since Vault users write those. */
    static boolean parseBool(String suffix, String value) {
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "t", "true" -> true;
            case "0", "f", "false" -> false;
            default -> throw new ClientConfigException("VAULT_" + suffix + " must be true or false, got \"" + value + "\"");
        };
    }

    private static Duration parseTimeout(String value) {
        if (value == null) {
            return DEFAULT_TIMEOUT;
        }
        try {
            return GoDurations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ClientConfigException("VAULT_CLIENT_TIMEOUT: " + e.getMessage(), e);
        }
    }

    private static int parseRetries(String value) {
        if (value == null) {
            return DEFAULT_MAX_RETRIES;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ClientConfigException("VAULT_MAX_RETRIES must be a whole number, got \"" + value + "\"", e);
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
