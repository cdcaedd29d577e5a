package dev.coffer.api;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * INSECURE: accepts every certificate and skips the host name check (VAULT_SKIP_VERIFY). It must be an
 * X509ExtendedTrustManager: the JDK wraps plain X509TrustManagers and would still check the host name.
 */
final class TrustAllManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // a client never verifies client certificates
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // intentionally trusts everything: VAULT_SKIP_VERIFY
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // a client never verifies client certificates
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // intentionally trusts everything: VAULT_SKIP_VERIFY
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // a client never verifies client certificates
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // intentionally trusts everything: VAULT_SKIP_VERIFY
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
