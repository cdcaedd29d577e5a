package dev.coffer.seal.aws;

import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.KmsWrapperFactory;
import dev.coffer.seal.SealException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the {@code awskms} seal from a seal stanza's parameters (see docs/seals/awskms.md). The environment
 * is injected: ServiceLoader uses the process environment; tests pass their own map. Tests reach their local
 * KMS fake through the ordinary {@code endpoint} parameter, so there is no separate test seam.
 */
public final class AwsKmsWrapperFactory implements KmsWrapperFactory {

    private final Map<String, String> env;

    /** The ServiceLoader constructor: reads the process environment. */
    public AwsKmsWrapperFactory() {
        this(System.getenv());
    }

    public AwsKmsWrapperFactory(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    @Override
    public String type() {
        return AwsKmsWrapper.TYPE;
    }

    @Override
    public KmsWrapper create(Map<String, String> config) throws SealException {
        return createAws(config);
    }

    /** As {@link #create} with the concrete type. */
    public AwsKmsWrapper createAws(Map<String, String> config) throws SealException {
        AwsSealConfig settings = AwsSealConfig.resolve(config, env);
        CredentialSelector.Selected credentials = CredentialSelector.select(settings);
        try {
            // resolve once up front, so "no credentials" or a refused role is reported as such, not as a KMS error
            credentials.provider().resolveCredentials();
        } catch (SdkException e) {
            credentials.close();
            throw AwsErrors.credentials(e, credentials.kind(), settings);
        }
        KmsClient kms = KmsClients.kms(settings, credentials.provider());
        return new AwsKmsWrapper(settings, kms, credentials, new SecureRandom());
    }
}
