package dev.coffer.seal.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.util.Configuration;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import dev.coffer.seal.SealException;

import java.util.Map;

/**
 * Picks the Entra ID credential the way Vault's stanza implies: a client secret (with tenant and client id)
 * means a service principal; a client id alone means a user-assigned managed identity, or workload identity
 * when a federated token file is present (AKS); nothing, or a service principal certificate in the environment
 * (AZURE_CLIENT_CERTIFICATE_PATH, which only the chain's environment credential reads), means the SDK's default chain.
 */
final class CredentialSelector {

    enum Kind { CLIENT_SECRET, WORKLOAD_IDENTITY, MANAGED_IDENTITY, DEFAULT_CHAIN }

    private CredentialSelector() {
    }

    static Kind kind(AzureSealConfig config) throws SealException {
        if (!config.clientSecret().isEmpty()) {
            if (config.tenantId().isEmpty() || config.clientId().isEmpty()) {
                throw new SealException(SealException.Reason.CONFIG, "azurekeyvault seal: client_secret is set but "
                        + (config.tenantId().isEmpty() ? "tenant_id (AZURE_TENANT_ID)" : "client_id (AZURE_CLIENT_ID)")
                        + " is missing: a service principal needs tenant_id, client_id and client_secret");
            }
            return Kind.CLIENT_SECRET;
        }
        if (!config.clientId().isEmpty() && !config.federatedTokenFile().isEmpty() && !config.tenantId().isEmpty()) {
            return Kind.WORKLOAD_IDENTITY;
        }
        if (!config.clientCertificatePath().isEmpty()) {
            return Kind.DEFAULT_CHAIN; // its first leg, the environment credential, signs in with that certificate
        }
        return config.clientId().isEmpty() ? Kind.DEFAULT_CHAIN : Kind.MANAGED_IDENTITY;
    }

    /** Which identity the seal authenticates as, for error messages: ids and paths, never a secret. */
    static String describe(AzureSealConfig config) {
        Kind kind;
        try {
            kind = kind(config);
        } catch (SealException e) {
            return "an incomplete service principal";
        }
        return switch (kind) {
            case CLIENT_SECRET -> "service principal " + config.clientId() + " in tenant " + config.tenantId();
            case WORKLOAD_IDENTITY -> "workload identity " + config.clientId() + " in tenant " + config.tenantId()
                    + " (federated token file " + config.federatedTokenFile() + ")";
            case MANAGED_IDENTITY -> "user-assigned managed identity " + config.clientId();
            case DEFAULT_CHAIN -> config.clientCertificatePath().isEmpty()
                    ? "the default credential chain (environment, workload identity, managed identity, Azure CLI)"
                    : "the default credential chain (client certificate " + config.clientCertificatePath() + ")";
        };
    }

    /** The SDK environment goes in first: setting it later would reset the authority host to its default. */
    static TokenCredential credential(AzureSealConfig config, Map<String, String> env, HttpClient http)
            throws SealException {
        Configuration sdkEnv = SdkEnvironment.configuration(env);
        return switch (kind(config)) {
            case CLIENT_SECRET -> {
                ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder().configuration(sdkEnv)
                        .tenantId(config.tenantId()).clientId(config.clientId()).clientSecret(config.clientSecret())
                        .authorityHost(config.authorityHost()).httpClient(http);
                yield (config.customAuthority() ? builder.disableInstanceDiscovery() : builder).build();
            }
            case WORKLOAD_IDENTITY -> {
                WorkloadIdentityCredentialBuilder builder = new WorkloadIdentityCredentialBuilder().configuration(sdkEnv)
                        .tenantId(config.tenantId()).clientId(config.clientId())
                        .tokenFilePath(config.federatedTokenFile()).authorityHost(config.authorityHost())
                        .httpClient(http);
                yield (config.customAuthority() ? builder.disableInstanceDiscovery() : builder).build();
            }
            case MANAGED_IDENTITY -> new ManagedIdentityCredentialBuilder().configuration(sdkEnv)
                    .clientId(config.clientId()).httpClient(http).build();
            case DEFAULT_CHAIN -> {
                DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder().configuration(sdkEnv)
                        .authorityHost(config.authorityHost()).httpClient(http);
                if (!config.tenantId().isEmpty()) {
                    builder.tenantId(config.tenantId());
                }
                yield (config.customAuthority() ? builder.disableInstanceDiscovery() : builder).build();
            }
        };
    }
}
