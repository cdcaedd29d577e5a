package com.microsoft.aad.msal4j;

import java.util.Map;

/**
 * Test-only bridge: MSAL's managed identity sources read IDENTITY_ENDPOINT/IDENTITY_HEADER (and IMDS's
 * AZURE_POD_IDENTITY_AUTHORITY_HOST) from the process environment, with a package-private hook for tests. This
 * points that hook at an injected map so managed-identity tests need no change to the real environment. MSAL also
 * keeps managed identity tokens in one static cache for the whole JVM, which would hand a token from an earlier
 * test's fake to the next one; each install starts with an empty cache. Production code never uses this class.
 */
public final class MsalTestEnvironment {

    private MsalTestEnvironment() {
    }

    public static void install(Map<String, String> env) {
        ManagedIdentityApplication.sharedTokenCache = new TokenCache();
        ManagedIdentityApplication.setEnvironmentVariables(env::get);
    }

    public static void reset() {
        ManagedIdentityApplication.setEnvironmentVariables(null);
        ManagedIdentityApplication.sharedTokenCache = new TokenCache();
    }
}
