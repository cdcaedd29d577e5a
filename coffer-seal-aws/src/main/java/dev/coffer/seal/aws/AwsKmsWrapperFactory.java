package dev.coffer.seal.aws;

import dev.coffer.seal.EnvironmentKmsWrapperFactory;
import dev.coffer.seal.SealException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;

import java.security.SecureRandom;
import java.util.Map;

/**
 * Builds the {@code awskms} seal from a seal stanza's parameters (see docs/seals/awskms.md). The environment
 * is injected: ServiceLoader uses the process environment; tests pass their own map. Tests reach their local
 * KMS fake through the ordinary {@code endpoint} parameter, so there is no separate test seam.
 */
public final class AwsKmsWrapperFactory extends EnvironmentKmsWrapperFactory<AwsKmsWrapper> {

    /** The ServiceLoader constructor: reads the process environment. */
    public AwsKmsWrapperFactory() {
        this(System.getenv());
    }

    public AwsKmsWrapperFactory(Map<String, String> env) {
        super(AwsKmsWrapper.TYPE, env);
    }

    @Override
    protected AwsKmsWrapper build(Map<String, String> stanza, Map<String, String> env) throws SealException {
        AwsSealConfig settings = AwsSealConfig.resolve(stanza, env);
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
