package dev.coffer.seal.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import dev.coffer.seal.EnvironmentKmsWrapperFactory;
import dev.coffer.seal.SealException;

import java.security.SecureRandom;
import java.util.Map;

/**
 * Builds the {@code azurekeyvault} seal from a seal stanza's parameters (see docs/seals/azurekeyvault.md).
 * The environment is injected: ServiceLoader uses the process environment; tests pass their own map.
 */
public final class AzureKeyVaultWrapperFactory extends EnvironmentKmsWrapperFactory<AzureKeyVaultWrapper> {

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
        super(AzureKeyVaultWrapper.TYPE, env);
        this.testTransport = transport;
    }

    @Override
    protected AzureKeyVaultWrapper build(Map<String, String> stanza, Map<String, String> env) throws SealException {
        AzureSealConfig settings = AzureSealConfig.resolve(stanza, env);
        HttpClient http = KeyVaultClients.httpClient(testTransport);
        TokenCredential credential = CredentialSelector.credential(settings, env, http);
        return new AzureKeyVaultWrapper(settings, new KeyVaultClients(settings, http, credential), new SecureRandom());
    }
}
