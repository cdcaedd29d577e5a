package dev.coffer.seal.azure;

import com.azure.core.util.Configuration;

import java.util.List;
import java.util.Map;

/**
 * Hands the injected environment to the Azure SDK as a per-client {@link Configuration}, so the SDK sees the
 * same variables the seal resolved its settings from and the process environment is never changed.
 */
final class SdkEnvironment {

    /** Variables the identity library reads by name; a value absent from the injected map is removed. */
    private static final List<String> IDENTITY_VARIABLES = List.of(
            "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH",
            "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_USERNAME", "AZURE_PASSWORD", "AZURE_FEDERATED_TOKEN_FILE",
            "AZURE_AUTHORITY_HOST", "AZURE_POD_IDENTITY_AUTHORITY_HOST", "IDENTITY_ENDPOINT", "IDENTITY_HEADER",
            "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT", "AZURE_REGIONAL_AUTHORITY_NAME");

    private SdkEnvironment() {
    }

    // The name-based Configuration accessors are deprecated but are exactly what the identity library reads.
    @SuppressWarnings("deprecation")
    static Configuration configuration(Map<String, String> env) {
        Configuration configuration = Configuration.getGlobalConfiguration().clone();
        for (String name : IDENTITY_VARIABLES) {
            String value = env.get(name);
            if (value == null || value.isEmpty()) {
                configuration.remove(name);
            } else {
                configuration.put(name, value);
            }
        }
        return configuration;
    }
}
