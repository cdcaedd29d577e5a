package dev.coffer.seal.azure;

import dev.coffer.seal.SealException;
import dev.coffer.seal.SealParams;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * The resolved settings of a {@code seal "azurekeyvault"} stanza. Environment variables win over the stanza,
 * as in Vault. {@code vault_url} and {@code authority_host} are Coffer extensions for endpoints the
 * {@code environment} names do not cover (Azure Stack, private endpoints).
 *
 * @param vaultUrl      the Key Vault base URL, always ending in {@code /}
 * @param authorityHost the Entra ID authority, always ending in {@code /}
 * @param customAuthority true when the operator chose the authority host; the public-cloud instance discovery
 *                        is then skipped because it cannot know a private authority
 * @param federatedTokenFile    AZURE_FEDERATED_TOKEN_FILE (workload identity), environment only, as in the SDK
 * @param clientCertificatePath AZURE_CLIENT_CERTIFICATE_PATH (a service principal's certificate, which the SDK's
 *                              environment credential reads), environment only
 */
record AzureSealConfig(String tenantId, String clientId, String clientSecret, AzureCloud cloud, String vaultName,
                       String keyName, String resource, String vaultUrl, String authorityHost,
                       boolean customAuthority, String federatedTokenFile, String clientCertificatePath) {

    static final String DEFAULT_RESOURCE = "vault.azure.net";

    @Override
    public String toString() {
        // never prints the client secret
        return "AzureSealConfig[vaultUrl=" + vaultUrl + ", key=" + keyName + ", tenant=" + tenantId
                + ", clientId=" + clientId + ", secret=" + (clientSecret.isEmpty() ? "unset" : "set") + "]";
    }

    static AzureSealConfig resolve(Map<String, String> stanza, Map<String, String> env) throws SealException {
        SealParams in = new SealParams("azurekeyvault", stanza, env);
        AzureCloud cloud = AzureCloud.parse(in.get("environment", "AZURE_ENVIRONMENT"));
        String resource = in.get("resource", "AZURE_AD_RESOURCE");
        String keyName = in.require("key_name", "VAULT_AZUREKEYVAULT_KEY_NAME", "the name of the RSA key in the Key Vault");
        String explicitUrl = in.get("vault_url", null);
        String vaultName = explicitUrl.isEmpty()
                ? in.require("vault_name", "VAULT_AZUREKEYVAULT_VAULT_NAME", "the Key Vault's name (or set vault_url)")
                : in.get("vault_name", "VAULT_AZUREKEYVAULT_VAULT_NAME");
        String vaultUrl = explicitUrl.isEmpty() ? vaultUrl(vaultName, cloud, resource) : normalizeUrl("vault_url", explicitUrl);
        String authority = in.get("authority_host", "AZURE_AUTHORITY_HOST");
        boolean customAuthority = !authority.isEmpty();
        String authorityHost = customAuthority ? normalizeUrl("authority_host", authority) : cloud.authorityHost();
        return new AzureSealConfig(in.get("tenant_id", "AZURE_TENANT_ID"), in.get("client_id", "AZURE_CLIENT_ID"),
                in.get("client_secret", "AZURE_CLIENT_SECRET"), cloud, vaultName, keyName,
                resource.isEmpty() ? DEFAULT_RESOURCE : resource, vaultUrl, authorityHost, customAuthority,
                in.get(null, "AZURE_FEDERATED_TOKEN_FILE"), in.get(null, "AZURE_CLIENT_CERTIFICATE_PATH"));
    }

    /**
     * {@code https://{vault_name}.{suffix}/}: the cloud's Key Vault suffix, or the resource itself for a Managed
     * HSM ({@code resource = "managedhsm.azure.net"}), whose pools live under that domain.
     */
    static String vaultUrl(String vaultName, AzureCloud cloud, String resource) throws SealException {
        if (!vaultName.matches("[A-Za-z0-9-]{1,63}")) {
            throw new SealException(SealException.Reason.CONFIG, "azurekeyvault seal: vault_name '" + vaultName
                    + "' is not a Key Vault name (letters, digits and dashes): give the name, not the URL, or set vault_url");
        }
        String suffix = resource != null && resource.startsWith("managedhsm.") ? resource : cloud.keyVaultDnsSuffix();
        return "https://" + vaultName + "." + suffix + "/";
    }

    private static String normalizeUrl(String parameter, String value) throws SealException {
        try {
            URI uri = new URI(value.trim());
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an https URL with a host");
            }
            String text = uri.toString();
            return text.endsWith("/") ? text : text + "/";
        } catch (URISyntaxException e) {
            throw new SealException(SealException.Reason.CONFIG, "azurekeyvault seal: " + parameter + " '" + value
                    + "' is not a valid https URL (" + e.getReason() + "): use e.g. https://myvault.vault.azure.net/", e);
        }
    }
}
