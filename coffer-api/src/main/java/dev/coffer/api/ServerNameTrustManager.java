package dev.coffer.api;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies the chain with the delegate, then checks the leaf against a fixed name (VAULT_TLS_SERVER_NAME)
 * instead of the host in the URL, for servers reached through an address their certificate does not name.
 */
final class ServerNameTrustManager extends X509ExtendedTrustManager {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final X509ExtendedTrustManager delegate;
    private final String serverName;

    ServerNameTrustManager(X509ExtendedTrustManager delegate, String serverName) {
        this.delegate = delegate;
        this.serverName = serverName.toLowerCase(Locale.ROOT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
        if (!matches(chain[0])) {
            throw new CertificateException("server certificate does not name " + serverName
                    + " (VAULT_TLS_SERVER_NAME)");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    private boolean matches(X509Certificate leaf) throws CertificateParsingException {
        Collection<List<?>> names = leaf.getSubjectAlternativeNames();
        if (names == null) {
            return false;
        }
        for (List<?> entry : names) {
            int type = (Integer) entry.get(0);
            String value = String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT);
            if (type == SAN_DNS && dnsMatches(value) || type == SAN_IP && sameAddress(value)) {
                return true;
            }
        }
        return false;
    }

    /** Exact match, or a single left-most wildcard label ({@code *.example.com}) covering one label. */
    private boolean dnsMatches(String pattern) {
        if (!pattern.startsWith("*.")) {
            return pattern.equals(serverName);
        }
        int dot = serverName.indexOf('.');
        return dot > 0 && serverName.substring(dot).equals(pattern.substring(1));
    }

    private boolean sameAddress(String ip) {
        if (!serverName.matches("[0-9.]+") && !serverName.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(ip).equals(InetAddress.getByName(serverName));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
