package dev.coffer.seal.azure;

import com.microsoft.aad.msal4j.MsalTestEnvironment;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.coffer.seal.SealFixtures.AAD;
import static dev.coffer.seal.SealFixtures.ROOT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The credential kinds beyond the seed's two stanzas, each through the real Azure SDK (identity library and
 * MSAL unchanged) against the fakes: system-assigned managed identity on a VM (IMDS), workload identity (AKS
 * federated token) and the SDK's default chain. Each test checks on the fake's side which token flow was used,
 * so a credential wired as the wrong kind fails even if it happened to get a token.
 */
class AzureCredentialKindsTest {

    private static TestTls tls;
    private FakeKeyVault fake;
    private FakeImds imds;

    @BeforeAll
    static void certificate() throws Exception {
        tls = new TestTls();
    }

    @BeforeEach
    void startFakes() throws Exception {
        fake = new FakeKeyVault(tls);
        imds = new FakeImds(fake.entra);
    }

    @AfterEach
    void stopFakes() {
        imds.close();
        fake.close();
        MsalTestEnvironment.reset();
    }

    /** A stanza with no credential parameters at all: only where the key is. */
    private Map<String, String> keyOnlyStanza() {
        return Map.of("vault_name", "MyVaultUnsealKeyVault", "key_name", FakeKeyVault.KEY_NAME, "vault_url", fake.vaultUrl());
    }

    /**
     * The seal built as the server builds it, from the stanza and an environment; MSAL's managed identity code reads
     * the process environment itself, so the same map is handed to it through its test hook.
     */
    private AzureKeyVaultWrapper seal(Map<String, String> stanza, Map<String, String> env) throws Exception {
        MsalTestEnvironment.install(env);
        return new AzureKeyVaultWrapperFactory(env, tls.clientTransport()).create(stanza);
    }

    /** A VM: IMDS answers at the address the SDK is told through AZURE_POD_IDENTITY_AUTHORITY_HOST. */
    private Map<String, String> onAzureVm() {
        return Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", imds.authorityHost());
    }

    @Test
    void noClientIdNoSecretOnVm_usesSystemAssignedIdentity_imdsCalledWithoutClientId() throws Exception {
        Map<String, String> stanza = keyOnlyStanza();
        assertThat(CredentialSelector.kind(AzureSealConfig.resolve(stanza, onAzureVm())))
                .isEqualTo(CredentialSelector.Kind.DEFAULT_CHAIN);

        try (AzureKeyVaultWrapper seal = seal(stanza, onAzureVm())) {
            assertThat(seal.decrypt(seal.encrypt(ROOT_KEY, AAD), AAD)).isEqualTo(ROOT_KEY);
        }

        assertThat(fake.entra.grants).isNotEmpty().allSatisfy(grant -> {
            assertThat(grant.endpoint()).isEqualTo("imds");
            assertThat(grant.requestedClientId()).as("a system-assigned identity is asked for without client_id").isNull();
            assertThat(grant.identity()).isEqualTo(FakeEntraId.SYSTEM_IDENTITY_CLIENT_ID);
        });
        assertThat(fake.calls("wrapkey")).isEqualTo(1);
        assertThat(fake.calls("unwrapkey")).isEqualTo(1);
    }

    @Test
    void vmWithoutAnyManagedIdentity_failsWithBadCredentialsSayingNoIdentityIsAssigned() throws Exception {
        fake.entra.systemIdentityAssigned = false;

        try (AzureKeyVaultWrapper seal = seal(keyOnlyStanza(), onAzureVm())) {
            assertThatThrownBy(() -> seal.encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
                assertThat(e.getMessage()).contains("no managed identity", "system-assigned", "client_id",
                        "client_secret");
            });
        }
        assertThat(fake.entra.grants).isEmpty();
        assertThat(fake.calls("wrapkey")).isZero();
    }

    @Test
    void nothingConfiguredOffAzure_failsWithBadCredentialsSayingNoCredentialAndNoManagedIdentityEndpoint() throws Exception {
        Map<String, String> env = onAzureVm();
        imds.close(); // the metadata address refuses connections, as off Azure

        try (AzureKeyVaultWrapper seal = seal(keyOnlyStanza(), env)) {
            assertThatThrownBy(() -> seal.encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
                assertThat(e.getMessage()).contains("no credential was found", "no managed identity endpoint",
                        "client_secret");
            });
        }
        assertThat(fake.entra.grants).isEmpty();
    }

    @Test
    void workloadIdentity_postsTheFederatedTokenAsJwtBearerAssertion_roundTrips(@TempDir Path dir) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("azure-identity-token"), fake.entra.federatedToken);
        Map<String, String> env = onAks(tokenFile);
        assertThat(CredentialSelector.kind(AzureSealConfig.resolve(keyOnlyStanza(), env)))
                .isEqualTo(CredentialSelector.Kind.WORKLOAD_IDENTITY);

        try (AzureKeyVaultWrapper seal = seal(keyOnlyStanza(), env)) {
            assertThat(seal.decrypt(seal.encrypt(ROOT_KEY, AAD), AAD)).isEqualTo(ROOT_KEY);
        }

        assertThat(fake.entra.grants).isNotEmpty().allSatisfy(grant -> {
            assertThat(grant.endpoint()).isEqualTo("token");
            assertThat(grant.grantType()).isEqualTo("client_credentials");
            assertThat(grant.credential()).isEqualTo("client_assertion");
            assertThat(grant.requestedClientId()).isEqualTo(FakeEntraId.WORKLOAD_CLIENT_ID);
        });
    }

    @Test
    void workloadIdentity_tokenOfAnotherServiceAccount_failsWithBadCredentialsNamingTheFederatedCredential(
            @TempDir Path dir) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("azure-identity-token"),
                FakeEntraId.serviceAccountToken("system:serviceaccount:default:default"));

        try (AzureKeyVaultWrapper seal = seal(keyOnlyStanza(), onAks(tokenFile))) {
            assertThatThrownBy(() -> seal.encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
                assertThat(e.getMessage()).contains("AADSTS70021", "federated", "AZURE_FEDERATED_TOKEN_FILE",
                        "system:serviceaccount:default:default", FakeEntraId.WORKLOAD_CLIENT_ID);
            });
        }
        assertThat(fake.entra.grants).isEmpty();
    }

    @Test
    void defaultChain_environmentLegWithClientCertificate_signsTheAssertionWithThatCertificate(@TempDir Path dir)
            throws Exception {
        ServicePrincipalCertificate certificate = ServicePrincipalCertificate.generate();
        fake.entra.clientCertificate = certificate.certificate();
        Map<String, String> env = withCertificate(certificate.writePem(dir.resolve("sp.pem")));
        assertThat(CredentialSelector.kind(AzureSealConfig.resolve(keyOnlyStanza(), env)))
                .isEqualTo(CredentialSelector.Kind.DEFAULT_CHAIN);

        try (AzureKeyVaultWrapper seal = seal(keyOnlyStanza(), env)) {
            assertThat(seal.decrypt(seal.encrypt(ROOT_KEY, AAD), AAD)).isEqualTo(ROOT_KEY);
        }

        assertThat(fake.entra.grants).isNotEmpty().allSatisfy(grant -> {
            assertThat(grant.endpoint()).isEqualTo("token");
            assertThat(grant.credential()).isEqualTo("client_certificate");
            assertThat(grant.requestedClientId()).isEqualTo(FakeEntraId.CLIENT_ID);
        });
    }

    @Test
    void defaultChain_certificateNotRegisteredOnTheApp_failsWithBadCredentialsNamingTheCertificate(@TempDir Path dir)
            throws Exception {
        fake.entra.clientCertificate = ServicePrincipalCertificate.generate().certificate();
        Path pem = ServicePrincipalCertificate.generate().writePem(dir.resolve("other.pem"));

        try (AzureKeyVaultWrapper seal = seal(keyOnlyStanza(), withCertificate(pem))) {
            assertThatThrownBy(() -> seal.encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
                assertThat(e.getMessage()).contains("AADSTS700027", pem.toString());
            });
        }
        assertThat(fake.entra.grants).isEmpty();
    }

    /** A service principal's certificate given the way the SDK's environment credential reads it; on a VM too. */
    private Map<String, String> withCertificate(Path pem) {
        return Map.of("AZURE_CLIENT_ID", FakeEntraId.CLIENT_ID, "AZURE_TENANT_ID", FakeEntraId.TENANT,
                "AZURE_CLIENT_CERTIFICATE_PATH", pem.toString(), "AZURE_AUTHORITY_HOST", fake.authorityHost(),
                "AZURE_POD_IDENTITY_AUTHORITY_HOST", imds.authorityHost());
    }

    /** What the AKS workload identity webhook injects into a pod, the authority pointed at the fake. */
    private Map<String, String> onAks(Path tokenFile) {
        return Map.of("AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString(), "AZURE_CLIENT_ID", FakeEntraId.WORKLOAD_CLIENT_ID,
                "AZURE_TENANT_ID", FakeEntraId.TENANT, "AZURE_AUTHORITY_HOST", fake.authorityHost());
    }
}
