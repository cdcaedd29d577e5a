package dev.coffer.seal.azure;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

/**
 * A public facade over the package-private Azure fake (Key Vault keys API + Entra ID on one HTTPS port), for
 * tests in other modules, e.g. coffer-it, which points a real {@code coffer server} child process at it.
 *
 * <p>The fake lives at {@code https://coffer-seal.localhost:{port}/}, a {@code *.localhost} name whose parent
 * domain is the challenge resource, as the SDK requires of a real vault. A child JVM resolves that name through
 * {@link #writeHostsFile} ({@code -Djdk.net.hosts.file}) and trusts the fake's self-signed certificate through
 * {@link #writeTrustStore} ({@code -Djavax.net.ssl.trustStore}): the production TLS path, nothing weakened.
 */
public final class AzureFakeForTests implements AutoCloseable {

    private final FakeKeyVault fake;
    private final TestTls tls;

    private AzureFakeForTests(TestTls tls, FakeKeyVault fake) {
        this.tls = tls;
        this.fake = fake;
    }

    /** Starts the fake on a free loopback port with one key ({@link #keyName()}) of one version. */
    public static AzureFakeForTests start() {
        try {
            TestTls tls = new TestTls();
            return new AzureFakeForTests(tls, new FakeKeyVault(tls));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Azure Key Vault fake", e);
        }
    }

    public String vaultUrl() {
        return fake.vaultUrl();
    }

    /** The host name of {@link #vaultUrl()}; it must resolve to 127.0.0.1 in the client. */
    public String vaultHost() {
        return TestTls.VAULT_HOST;
    }

    public String authorityHost() {
        return fake.authorityHost();
    }

    public String tenantId() {
        return FakeEntraId.TENANT;
    }

    public String clientId() {
        return FakeEntraId.CLIENT_ID;
    }

    public String clientSecret() {
        return FakeEntraId.CLIENT_SECRET;
    }

    public String keyName() {
        return FakeKeyVault.KEY_NAME;
    }

    /** The client id of the user-assigned managed identity the fake's managed identity endpoint knows. */
    public String managedIdentityClientId() {
        return FakeEntraId.MANAGED_IDENTITY_CLIENT_ID;
    }

    /**
     * The environment an App Service style managed identity endpoint gives a process ({@code IDENTITY_ENDPOINT},
     * {@code IDENTITY_HEADER}), pointing at the fake; the Azure SDK's ManagedIdentityCredential reads exactly these.
     */
    public java.util.Map<String, String> managedIdentityEnvironment() {
        return java.util.Map.of("IDENTITY_ENDPOINT", fake.authorityHost() + "msi/token",
                "IDENTITY_HEADER", FakeEntraId.IDENTITY_HEADER);
    }

    /** Who a bearer token was issued to and for what, as a resource server would read it from the token. */
    public record TokenGrant(String resource, String clientId, String tenant) {
    }

    /**
     * The grant behind a token this fake's Entra ID or managed identity endpoint issued, or null for a token it
     * never issued: lets another fake (e.g. a Blob service) validate {@code Authorization: Bearer} as Azure would.
     */
    public TokenGrant tokenGrant(String token) {
        FakeEntraId.Issued issued = fake.entra.issuedFor(token);
        return issued == null ? null : new TokenGrant(issued.resource(), issued.clientId(), issued.tenant());
    }

    /**
     * Server TLS with the fake's self-signed certificate (names {@code localhost}, {@code 127.0.0.1} and
     * {@link #vaultHost()}), for another fake that must speak https (the SDK sends bearer tokens only over https).
     */
    public javax.net.ssl.SSLContext tlsServerContext() {
        return tls.serverContext();
    }

    /** A Reactor Netty client trusting only the fake's certificate, for the SDK's NettyAsyncHttpClientBuilder. */
    public reactor.netty.http.client.HttpClient tlsClientTransport() {
        try {
            return tls.clientTransport();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the client TLS context for the Azure fake", e);
        }
    }

    /** The key's newest version id. */
    public String currentVersion() {
        return fake.keys.find(FakeKeyVault.KEY_NAME, "").id;
    }

    /** Adds a key version, like {@code az keyvault key rotate}; returns its id. */
    public String rotateKey() {
        try {
            return fake.keys.rotate(FakeKeyVault.KEY_NAME);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Disables one version: wrapKey/unwrapKey on it then fail with 403 KeyDisabled, as in Key Vault. */
    public void disableVersion(String version) {
        FakeKeyStore.Version v = fake.keys.find(FakeKeyVault.KEY_NAME, version);
        if (v == null) {
            throw new IllegalArgumentException("no key version " + version);
        }
        v.enabled = false;
    }

    /** Denies a Key Vault permission ({@code get}, {@code wrapKey}, {@code unwrapKey}) with Key Vault's 403. */
    public void deny(String permission) {
        fake.denied.add(permission);
    }

    public void allow(String permission) {
        fake.denied.remove(permission);
    }

    /** Key Vault goes away: its port refuses connections until {@link #comeBack()}; keys and tokens are kept. */
    public void goDown() {
        fake.goDown();
    }

    /** Key Vault answers again, on the same port and with the same keys. */
    public void comeBack() {
        try {
            fake.comeBack();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the fake's port again", e);
        }
    }

    /** Every Key Vault operation is answered with 429 and {@code Retry-After: 0} while on. */
    public void throttle(boolean on) {
        fake.throttled = on;
    }

    /** A request the fake answered: {@code endpoint} is token, msi, get, wrapkey or unwrapkey; times in epoch ms. */
    public record Request(String endpoint, long receivedMillis, long answeredMillis) {
    }

    /** The requests answered so far, oldest first. */
    public java.util.List<Request> requests() {
        return fake.served.stream().map(s -> new Request(s.endpoint(), s.receivedMillis(), s.answeredMillis())).toList();
    }

    public void clearRequests() {
        fake.served.clear();
    }

    /** How many times the operation ({@code get}, {@code wrapkey}, {@code unwrapkey}) reached the key store. */
    public int calls(String operation) {
        return fake.calls(operation);
    }

    /** Writes a PKCS12 trust store holding only the fake's certificate. */
    public Path writeTrustStore(Path file, String password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("coffer-azure-fake", tls.certificate());
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a hosts file mapping {@code localhost}, the fake's host and {@code extraNames} to 127.0.0.1, for a
     * child JVM started with {@code -Djdk.net.hosts.file=<file>} (names not listed then do not resolve).
     */
    public Path writeHostsFile(Path file, String... extraNames) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, "127.0.0.1 localhost " + TestTls.VAULT_HOST + " "
                    + String.join(" ", extraNames) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stop() {
        fake.close();
    }

    @Override
    public void close() {
        stop();
    }
}
