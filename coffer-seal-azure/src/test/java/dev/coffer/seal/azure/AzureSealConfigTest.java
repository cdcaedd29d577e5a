package dev.coffer.seal.azure;

import dev.coffer.seal.KmsWrapperFactory;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AzureSealConfigTest {

    private static final Map<String, String> MINIMAL = Map.of("vault_name", "MyVaultUnsealKeyVault", "key_name", "VaultUnsealKey");

    @Test
    void environmentSuffixes_buildTheVaultUrl() throws Exception {
        assertThat(url(Map.of())).isEqualTo("https://MyVaultUnsealKeyVault.vault.azure.net/");
        assertThat(url(Map.of("environment", "AZURECHINACLOUD"))).isEqualTo("https://MyVaultUnsealKeyVault.vault.azure.cn/");
        assertThat(url(Map.of("environment", "AzureUSGovernmentCloud"))).isEqualTo("https://MyVaultUnsealKeyVault.vault.usgovcloudapi.net/");
        assertThat(url(Map.of("environment", "AZUREGERMANCLOUD"))).isEqualTo("https://MyVaultUnsealKeyVault.vault.microsoftazure.de/");
        assertThat(url(Map.of("resource", "managedhsm.azure.net"))).isEqualTo("https://MyVaultUnsealKeyVault.managedhsm.azure.net/");
    }

    @Test
    void vaultUrl_overridesNameAndEnvironment() throws Exception {
        assertThat(url(Map.of("vault_url", "https://kv.private.example:8443", "environment", "AZURECHINACLOUD")))
                .isEqualTo("https://kv.private.example:8443/");
    }

    @Test
    void authorityHost_followsTheCloudUnlessSet() throws Exception {
        assertThat(resolve(Map.of("environment", "AZURECHINACLOUD"), Map.of()).authorityHost()).isEqualTo("https://login.chinacloudapi.cn/");
        AzureSealConfig custom = resolve(Map.of("authority_host", "https://login.stack.example"), Map.of());
        assertThat(custom.authorityHost()).isEqualTo("https://login.stack.example/");
        assertThat(custom.customAuthority()).isTrue();
    }

    @Test
    void environmentVariables_overrideTheStanza() throws Exception {
        AzureSealConfig config = resolve(Map.of("client_id", "from-file"), Map.of("AZURE_CLIENT_ID", "from-env",
                "VAULT_AZUREKEYVAULT_VAULT_NAME", "envvault", "AZURE_ENVIRONMENT", "AZURECHINACLOUD",
                "AZURE_AD_RESOURCE", "managedhsm.azure.net"));
        assertThat(config.clientId()).isEqualTo("from-env");
        assertThat(config.vaultUrl()).isEqualTo("https://envvault.managedhsm.azure.net/");
    }

    @Test
    void missingVaultName_failsWithConfigNamingTheEnvVar() {
        assertThatThrownBy(() -> AzureSealConfig.resolve(Map.of("key_name", "k"), Map.of()))
                .isInstanceOfSatisfying(SealException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIG);
                    assertThat(e.getMessage()).contains("vault_name", "VAULT_AZUREKEYVAULT_VAULT_NAME");
                });
    }

    @Test
    void missingKeyName_failsWithConfigNamingTheEnvVar() {
        assertThatThrownBy(() -> AzureSealConfig.resolve(Map.of("vault_name", "v"), Map.of()))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.getMessage())
                        .contains("key_name", "VAULT_AZUREKEYVAULT_KEY_NAME"));
    }

    @Test
    void unknownEnvironmentOrBadUrl_failWithConfig() {
        assertThatThrownBy(() -> resolve(Map.of("environment", "MARS"), Map.of()))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFIG));
        assertThatThrownBy(() -> resolve(Map.of("vault_url", "http://plain.example"), Map.of()))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.getMessage()).contains("https"));
    }

    @Test
    void seedStanzas_selectTheExpectedCredential() throws Exception {
        Map<String, String> servicePrincipal = Map.of("tenant_id", "t", "client_id", "c", "client_secret", "s");
        assertThat(CredentialSelector.kind(resolve(servicePrincipal, Map.of()))).isEqualTo(CredentialSelector.Kind.CLIENT_SECRET);
        assertThat(CredentialSelector.kind(resolve(Map.of("client_id", "c"), Map.of())))
                .isEqualTo(CredentialSelector.Kind.MANAGED_IDENTITY);
        assertThat(CredentialSelector.kind(resolve(Map.of("client_id", "c", "tenant_id", "t"),
                Map.of("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/token")))).isEqualTo(CredentialSelector.Kind.WORKLOAD_IDENTITY);
        assertThat(CredentialSelector.kind(resolve(Map.of(), Map.of()))).isEqualTo(CredentialSelector.Kind.DEFAULT_CHAIN);
    }

    @Test
    void secretWithoutTenant_failsWithConfig() {
        assertThatThrownBy(() -> CredentialSelector.kind(resolve(Map.of("client_id", "c", "client_secret", "s"), Map.of())))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.getMessage()).contains("tenant_id"));
    }

    @Test
    void toString_neverShowsTheSecret() throws Exception {
        assertThat(resolve(Map.of("client_secret", "hunter2"), Map.of()).toString()).doesNotContain("hunter2");
    }

    @Test
    void keyVersion_isTheLastSegmentOfTheKeyId() throws Exception {
        assertThat(AzureKeyVaultWrapper.versionOf("https://v.vault.azure.net/keys/k/0123abcd")).isEqualTo("0123abcd");
        assertThatThrownBy(() -> AzureKeyVaultWrapper.versionOf("https://v.vault.azure.net/keys/k"))
                .isInstanceOf(SealException.class);
    }

    @Test
    void factory_isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(KmsWrapperFactory.class).stream().map(p -> p.get().type()))
                .contains("azurekeyvault");
    }

    private static String url(Map<String, String> extra) throws SealException {
        return resolve(extra, Map.of()).vaultUrl();
    }

    private static AzureSealConfig resolve(Map<String, String> extra, Map<String, String> env) throws SealException {
        java.util.Map<String, String> stanza = new java.util.HashMap<>(MINIMAL);
        stanza.putAll(extra);
        return AzureSealConfig.resolve(stanza, env);
    }
}
