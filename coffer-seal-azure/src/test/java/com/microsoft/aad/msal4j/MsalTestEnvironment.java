package com.microsoft.aad.msal4j;

import java.util.Map;

/**
 * Test-only bridge: MSAL's managed identity sources read IDENTITY_ENDPOINT/IDENTITY_HEADER from the process
 * environment, with a package-private hook for tests. This points that hook at an injected map so the
 * managed-identity test needs no change to the real environment. Production code never uses it.
 */
public final class MsalTestEnvironment {

    private MsalTestEnvironment() {
    }

    public static void install(Map<String, String> env) {
        ManagedIdentityApplication.setEnvironmentVariables(env::get);
    }

    public static void reset() {
        ManagedIdentityApplication.setEnvironmentVariables(null);
    }
}
