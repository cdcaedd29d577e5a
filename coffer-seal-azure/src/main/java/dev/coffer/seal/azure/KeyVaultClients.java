package dev.coffer.seal.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.keys.KeyAsyncClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyAsyncClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK clients of one seal: a key client for the key's metadata and one cryptography client per key
 * version (a blob is always unwrapped by the version that wrapped it). Timeouts and retries are bounded so a
 * dead Key Vault fails within about {@link #CALL_DEADLINE} and the startup loop can retry.
 */
final class KeyVaultClients {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(3);
    static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
    private static final RetryOptions RETRIES = new RetryOptions(new ExponentialBackoffOptions()
            .setMaxRetries(3).setBaseDelay(Duration.ofMillis(200)).setMaxDelay(Duration.ofSeconds(2)));

    private final AzureSealConfig config;
    private final HttpClient http;
    private final TokenCredential credential;
    private final KeyAsyncClient keys;
    private final Map<String, CryptographyAsyncClient> cryptoByVersion = new ConcurrentHashMap<>();

    KeyVaultClients(AzureSealConfig config, HttpClient http, TokenCredential credential) {
        this.config = config;
        this.http = http;
        this.credential = credential;
        this.keys = new KeyClientBuilder().vaultUrl(config.vaultUrl()).credential(credential).httpClient(http)
                .retryOptions(RETRIES).buildAsyncClient();
    }

    /**
     * The HTTP client for Key Vault and Entra ID. {@code base} is a test hook (a Reactor Netty client that trusts
     * a local fake's certificate); production passes null and gets the SDK's default Netty client.
     */
    static HttpClient httpClient(reactor.netty.http.client.HttpClient base) {
        NettyAsyncHttpClientBuilder builder = base == null ? new NettyAsyncHttpClientBuilder()
                : new NettyAsyncHttpClientBuilder(base);
        return builder.connectTimeout(CONNECT_TIMEOUT).responseTimeout(RESPONSE_TIMEOUT).readTimeout(RESPONSE_TIMEOUT)
                .writeTimeout(RESPONSE_TIMEOUT).build();
    }

    KeyAsyncClient keys() {
        return keys;
    }

    CryptographyAsyncClient crypto(String version) {
        return cryptoByVersion.computeIfAbsent(version, v -> new CryptographyClientBuilder()
                .keyIdentifier(versionedKeyId(v)).credential(credential).httpClient(http).retryOptions(RETRIES)
                // RSA-OAEP-256 runs in Key Vault anyway; this also skips fetching the public key per version
                .disableKeyCaching()
                .buildAsyncClient());
    }

    String versionedKeyId(String version) {
        return config.vaultUrl() + "keys/" + config.keyName() + "/" + version;
    }
}
