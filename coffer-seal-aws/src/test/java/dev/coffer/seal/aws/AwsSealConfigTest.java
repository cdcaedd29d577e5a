package dev.coffer.seal.aws;

import dev.coffer.seal.KmsWrapperFactory;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsSealConfigTest {

    private static final Map<String, String> MINIMAL = Map.of("kms_key_id", "alias/coffer-unseal");

    private static AwsSealConfig resolve(Map<String, String> stanza, Map<String, String> env) throws SealException {
        Map<String, String> merged = new HashMap<>(MINIMAL);
        merged.putAll(stanza);
        return AwsSealConfig.resolve(merged, env);
    }

    @Test
    void missingKmsKeyId_failsWithConfigNamingTheEnvironmentVariable() {
        assertThatThrownBy(() -> AwsSealConfig.resolve(Map.of("region", "us-west-2"), Map.of()))
                .isInstanceOfSatisfying(SealException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIG);
                    assertThat(e.getMessage()).contains("kms_key_id", "VAULT_AWSKMS_SEAL_KEY_ID");
                });
    }

    @Test
    void region_defaultsToUsEast1_andAwsRegionBeatsAwsDefaultRegionBeatsTheStanza() throws Exception {
        assertThat(resolve(Map.of(), Map.of()).region()).isEqualTo("us-east-1");
        assertThat(resolve(Map.of("region", "eu-west-1"), Map.of()).region()).isEqualTo("eu-west-1");
        assertThat(resolve(Map.of("region", "eu-west-1"), Map.of("AWS_DEFAULT_REGION", "ap-south-1")).region())
                .isEqualTo("ap-south-1");
        assertThat(resolve(Map.of("region", "eu-west-1"),
                Map.of("AWS_DEFAULT_REGION", "ap-south-1", "AWS_REGION", "ca-central-1")).region()).isEqualTo("ca-central-1");
    }

    @Test
    void endpoint_isNormalizedAndDescribedInMessages() throws Exception {
        AwsSealConfig config = resolve(Map.of("endpoint", "https://kms.vpce.example/"), Map.of());
        assertThat(config.endpoint()).hasToString("https://kms.vpce.example");
        assertThat(resolve(Map.of("region", "eu-central-1"), Map.of()).endpointDescription())
                .isEqualTo("https://kms.eu-central-1.amazonaws.com");
    }

    @Test
    void invalidEndpoint_failsWithConfig() {
        assertThatThrownBy(() -> resolve(Map.of("endpoint", "kms.example:443"), Map.of()))
                .isInstanceOfSatisfying(SealException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIG);
                    assertThat(e.getMessage()).contains("AWS_KMS_ENDPOINT");
                });
    }

    @Test
    void accessKeyWithoutSecretKey_failsWithConfig() {
        assertThatThrownBy(() -> resolve(Map.of("access_key", "AKIAEXAMPLE"), Map.of()))
                .isInstanceOfSatisfying(SealException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIG);
                    assertThat(e.getMessage()).contains("secret_key", "AWS_SECRET_ACCESS_KEY");
                });
    }

    @Test
    void credentialKind_followsTheStanza() throws Exception {
        assertThat(CredentialSelector.kind(resolve(Map.of("access_key", "A", "secret_key", "S"), Map.of())))
                .isEqualTo(CredentialSelector.Kind.STATIC);
        assertThat(CredentialSelector.kind(resolve(Map.of(), Map.of()))).isEqualTo(CredentialSelector.Kind.CHAIN);
        assertThat(CredentialSelector.kind(resolve(Map.of("role_arn", "arn:aws:iam::1:role/r"), Map.of())))
                .isEqualTo(CredentialSelector.Kind.ASSUME_ROLE);
        assertThat(CredentialSelector.kind(resolve(Map.of(), Map.of("AWS_ROLE_ARN", "arn:aws:iam::1:role/r",
                "AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token")))).isEqualTo(CredentialSelector.Kind.WEB_IDENTITY);
        assertThatThrownBy(() -> CredentialSelector.kind(resolve(Map.of("web_identity_token_file", "/t"), Map.of())))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.getMessage()).contains("role_arn"));
    }

    @Test
    void missingSharedCredentialsFile_failsWithConfig() {
        assertThatThrownBy(() -> CredentialSelector.select(resolve(Map.of("shared_creds_filename", "/no/such/file"), Map.of())))
                .isInstanceOfSatisfying(SealException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIG);
                    assertThat(e.getMessage()).contains("/no/such/file");
                });
    }

    @Test
    void toString_neverShowsTheSecretKeyOrSessionToken() throws Exception {
        String text = resolve(Map.of("access_key", "AKIAEXAMPLE", "secret_key", "very-secret", "session_token",
                "token-value"), Map.of()).toString();
        assertThat(text).contains("AKIAEXAMPLE").doesNotContain("very-secret", "token-value");
    }

    @Test
    void serviceLoader_findsTheAwskmsFactory() {
        assertThat(ServiceLoader.load(KmsWrapperFactory.class).stream().map(p -> p.get().type()))
                .contains("awskms");
    }
}
