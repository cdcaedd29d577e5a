package dev.coffer.seal.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Duration;

/**
 * Builds the SDK clients with bounded timeouts and retries, so a dead or black-holed endpoint fails within
 * about {@link #CALL_DEADLINE} and the startup loop can retry: 2 s to connect, 3 s per read, 3 attempts with
 * short exponential backoff (throttling backs off a little longer), 10 s for the whole call.
 */
final class KmsClients {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(4);
    static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
    static final int MAX_ATTEMPTS = 3;

    private KmsClients() {
    }

    static KmsClient kms(AwsSealConfig config, AwsCredentialsProvider credentials) {
        KmsClientBuilder builder = KmsClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(http())
                .overrideConfiguration(overrides());
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        return builder.build();
    }

    static StsClient sts(Region region, AwsCredentialsProvider credentials) {
        return StsClient.builder().region(region).credentialsProvider(credentials).httpClientBuilder(http())
                .overrideConfiguration(overrides()).build();
    }

    private static UrlConnectionHttpClient.Builder http() {
        return UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(SOCKET_TIMEOUT);
    }

    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(CALL_DEADLINE)
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(MAX_ATTEMPTS)
                        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(1)))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(250), Duration.ofSeconds(2)))
                        .build())
                .build();
    }
}
