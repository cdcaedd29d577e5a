package dev.coffer.seal.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.KmsWrapperFactory;
import dev.coffer.seal.SealException;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the {@code azurekeyvault} seal from a seal stanza's parameters (see docs/seals/azurekeyvault.md).
 * The environment is injected: ServiceLoader uses the process environment; tests pass their own map.
 */
public final class AzureKeyVaultWrapperFactory implements KmsWrapperFactory {

    private final Map<String, String> env;
    private final reactor.netty.http.client.HttpClient testTransport;

    /** The ServiceLoader constructor: reads the process environment. */
    public AzureKeyVaultWrapperFactory() {
        this(System.getenv());
    }

    public AzureKeyVaultWrapperFactory(Map<String, String> env) {
        this(env, null);
    }

    /**
     * Test hook: {@code transport} is a Reactor Netty client that trusts a local fake's certificate. There is
     * deliberately no configuration parameter that weakens TLS verification.
     */
    AzureKeyVaultWrapperFactory(Map<String, String> env, reactor.netty.http.client.HttpClient transport) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.testTransport = transport;
    }

    @Override
    public String type() {
        return AzureKeyVaultWrapper.TYPE;
    }

    @Override
    public KmsWrapper create(Map<String, String> config) throws SealException {
        return createAzure(config);
    }

    /** As {@link #create} with the concrete type, for callers that re-wrap after a key rotation. */
    public AzureKeyVaultWrapper createAzure(Map<String, String> config) throws SealException {
        AzureSealConfig settings = AzureSealConfig.resolve(config, env);
        HttpClient http = KeyVaultClients.httpClient(testTransport);
        TokenCredential credential = CredentialSelector.credential(settings, env, http);
        return new AzureKeyVaultWrapper(settings, new KeyVaultClients(settings, http, credential), new SecureRandom());
    }
}
