package dev.coffer.seal.azure;

import dev.coffer.seal.SealException;

import java.util.Locale;

/** The Azure clouds a seal stanza's {@code environment} can name: Key Vault DNS suffix and Entra ID authority. */
enum AzureCloud {
    AZUREPUBLICCLOUD("vault.azure.net", "https://login.microsoftonline.com/"),
    AZURECHINACLOUD("vault.azure.cn", "https://login.chinacloudapi.cn/"),
    AZUREUSGOVERNMENTCLOUD("vault.usgovcloudapi.net", "https://login.microsoftonline.us/"),
    AZUREGERMANCLOUD("vault.microsoftazure.de", "https://login.microsoftonline.de/");

    private final String keyVaultDnsSuffix;
    private final String authorityHost;

    AzureCloud(String keyVaultDnsSuffix, String authorityHost) {
        this.keyVaultDnsSuffix = keyVaultDnsSuffix;
        this.authorityHost = authorityHost;
    }

    String keyVaultDnsSuffix() {
        return keyVaultDnsSuffix;
    }

    String authorityHost() {
        return authorityHost;
    }

    /** Parses the names Vault accepts, case-insensitively; empty means the public cloud. */
    static AzureCloud parse(String name) throws SealException {
        if (name == null || name.isBlank()) {
            return AZUREPUBLICCLOUD;
        }
        String normalized = name.trim().toUpperCase(Locale.ROOT).replace("_", "");
        for (AzureCloud cloud : values()) {
            if (cloud.name().equals(normalized)) {
                return cloud;
            }
        }
        throw new SealException(SealException.Reason.CONFIG, "azurekeyvault seal: unknown environment '" + name
                + "' (parameter 'environment' or AZURE_ENVIRONMENT): use AZUREPUBLICCLOUD, AZURECHINACLOUD,"
                + " AZUREUSGOVERNMENTCLOUD or AZUREGERMANCLOUD, or set vault_url for other endpoints");
    }
}
