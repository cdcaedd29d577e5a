package dev.coffer.seal.transit;

import dev.coffer.api.ClientConfig;
import dev.coffer.api.ClientConfigException;
import dev.coffer.api.CofferClient;
import dev.coffer.api.TransportOptions;
import dev.coffer.seal.EnvironmentKmsWrapperFactory;
import dev.coffer.seal.SealException;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the {@code transit} seal from a seal stanza's parameters (see docs/seals/transit.md). The environment
 * is injected: ServiceLoader uses the process environment; tests pass their own map.
 */
public final class TransitSealWrapperFactory extends EnvironmentKmsWrapperFactory<TransitSealWrapper> {

    /** Per-request deadline towards the transit node (also the connect timeout). */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    /** How long the token renewer waits after a failed lookup or renewal. */
    static final Duration RENEWAL_RETRY = Duration.ofSeconds(30);

    private final Duration renewEvery;
    private final Duration renewalRetry;

    /** The ServiceLoader constructor: reads the process environment. */
    public TransitSealWrapperFactory() {
        this(System.getenv());
    }

    public TransitSealWrapperFactory(Map<String, String> env) {
        this(env, null, RENEWAL_RETRY);
    }

    /**
     * Test hook: {@code renewEvery}, when not null, replaces the renewal interval (half the token's TTL), and
     * {@code renewalRetry} the wait after a failed renewal.
     */
    TransitSealWrapperFactory(Map<String, String> env, Duration renewEvery, Duration renewalRetry) {
        super(TransitSealWrapper.TYPE, env);
        this.renewEvery = renewEvery;
        this.renewalRetry = Objects.requireNonNull(renewalRetry, "renewalRetry");
    }

    @Override
    protected TransitSealWrapper build(Map<String, String> stanza, Map<String, String> env) throws SealException {
        TransitSealConfig settings = TransitSealConfig.resolve(stanza, env);
        CofferClient client;
        try {
            ClientConfig clientConfig = new ClientConfig(settings.address(), settings.token(), settings.tlsCaCert(), null,
                    settings.tlsSkipVerify(), settings.tlsServerName(), null, CALL_TIMEOUT, 1);
            TransportOptions options = new TransportOptions(
                    settings.namespace().isEmpty() ? Map.of() : Map.of("X-Vault-Namespace", settings.namespace()),
                    settings.tlsClientCert(), settings.tlsClientKey());
            client = CofferClient.create(clientConfig, options);
        } catch (ClientConfigException e) {
            throw new SealException(SealException.Reason.CONFIG, "transit seal: " + e.getMessage(), e);
        }
        return new TransitSealWrapper(settings, client, renewEvery, renewalRetry);
    }
}
