package dev.coffer.seal.aws;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;

import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the AWS credentials the way Vault's stanza implies. {@code access_key}/{@code secret_key} (from the
 * stanza or {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}) are used as given. Otherwise a chain is
 * tried in order: web identity (when {@code web_identity_token_file} and {@code role_arn} are set), the
 * shared credentials file and profile, the container (ECS/EKS pod identity) endpoint, and the EC2 instance
 * profile. With {@code role_arn} and no web identity token, the credentials found are used to assume that
 * role through STS. The environment-variable step of the SDK's own chain is covered by the injected
 * environment map, so the process environment is never changed.
 */
final class CredentialSelector {

    enum Kind { STATIC, WEB_IDENTITY, ASSUME_ROLE, CHAIN }

    /** The provider plus the STS client behind it, if any, which the seal must close. */
    record Selected(Kind kind, AwsCredentialsProvider provider, StsClient sts) implements AutoCloseable {
        @Override
        public void close() {
            if (provider instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // closing credential refresh threads must not fail the seal's close
                }
            }
            if (sts != null) {
                sts.close();
            }
        }
    }

    private CredentialSelector() {
    }

    static Kind kind(AwsSealConfig config) throws SealException {
        if (config.staticCredentials()) {
            return config.roleArn().isEmpty() ? Kind.STATIC : Kind.ASSUME_ROLE;
        }
        if (!config.webIdentityTokenFile().isEmpty()) {
            if (config.roleArn().isEmpty()) {
                throw new SealException(Reason.CONFIG, "awskms seal: web_identity_token_file"
                        + " (AWS_WEB_IDENTITY_TOKEN_FILE) is set but role_arn (AWS_ROLE_ARN) is missing: web identity"
                        + " federation needs the ARN of the role to assume");
            }
            return Kind.WEB_IDENTITY;
        }
        return config.roleArn().isEmpty() ? Kind.CHAIN : Kind.ASSUME_ROLE;
    }

    static Selected select(AwsSealConfig config) throws SealException {
        requireReadable(config.sharedCredsFilename(), "shared_creds_filename (AWS_SHARED_CREDENTIALS_FILE)");
        requireReadable(config.webIdentityTokenFile(), "web_identity_token_file (AWS_WEB_IDENTITY_TOKEN_FILE)");
        Region region = Region.of(config.region());
        return switch (kind(config)) {
            case STATIC -> new Selected(Kind.STATIC, staticProvider(config), null);
            case WEB_IDENTITY -> {
                // AssumeRoleWithWebIdentity is authorized by the token itself, not by AWS credentials
                StsClient sts = KmsClients.sts(region, AnonymousCredentialsProvider.create());
                yield new Selected(Kind.WEB_IDENTITY, StsWebIdentityTokenFileCredentialsProvider.builder()
                        .stsClient(sts).roleArn(config.roleArn()).roleSessionName(config.roleSessionName())
                        .webIdentityTokenFile(Path.of(config.webIdentityTokenFile())).build(), sts);
            }
            case ASSUME_ROLE -> {
                AwsCredentialsProvider base = config.staticCredentials() ? staticProvider(config) : chain(config);
                StsClient sts = KmsClients.sts(region, base);
                yield new Selected(Kind.ASSUME_ROLE, StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                        .refreshRequest(r -> r.roleArn(config.roleArn()).roleSessionName(config.roleSessionName()))
                        .build(), sts);
            }
            case CHAIN -> new Selected(Kind.CHAIN, chain(config), null);
        };
    }

    private static void requireReadable(String file, String parameter) throws SealException {
        if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
            throw new SealException(Reason.CONFIG, "awskms seal: " + parameter + " names '" + file
                    + "', which does not exist or is not readable by this process: fix the path or the file's permissions");
        }
    }

    private static AwsCredentialsProvider staticProvider(AwsSealConfig config) {
        return StaticCredentialsProvider.create(config.sessionToken().isEmpty()
                ? AwsBasicCredentials.create(config.accessKey(), config.secretKey())
                : AwsSessionCredentials.create(config.accessKey(), config.secretKey(), config.sessionToken()));
    }

    private static AwsCredentialsProvider chain(AwsSealConfig config) {
        List<AwsCredentialsProvider> providers = new ArrayList<>();
        ProfileCredentialsProvider.Builder profile = ProfileCredentialsProvider.builder();
        if (!config.sharedCredsFilename().isEmpty()) {
            profile.profileFile(ProfileFile.builder().content(Path.of(config.sharedCredsFilename()))
                    .type(ProfileFile.Type.CREDENTIALS).build());
        }
        if (!config.sharedCredsProfile().isEmpty()) {
            profile.profileName(config.sharedCredsProfile());
        }
        providers.add(profile.build());
        providers.add(ContainerCredentialsProvider.create());
        providers.add(InstanceProfileCredentialsProvider.create());
        return AwsCredentialsProviderChain.builder().credentialsProviders(providers).reuseLastProviderEnabled(true).build();
    }
}
