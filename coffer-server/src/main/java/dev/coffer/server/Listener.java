package dev.coffer.server;

import dev.coffer.core.Core;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.server.http.ApiHandler;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SSLParameters;

/** One {@code listener "tcp"}: a Helidon WebServer (virtual threads per request) serving the API, TLS or not. */
public final class Listener implements AutoCloseable {
    private final WebServer server;
    private final boolean tls;
    private final String host;

    private Listener(WebServer server, boolean tls, String host) {
        this.server = server;
        this.tls = tls;
        this.host = host;
    }

    public static Listener start(ListenerConfig config, Core core, String apiAddr, String clusterAddr) {
        InetSocketAddress address = parseAddress(config.address());
        ApiHandler handler = new ApiHandler(core, apiAddr, clusterAddr, config.hasSizeLimit() ? config.maxRequestSize() : 0,
                config.maxRequestDuration(), config.forwardedFor());
        var builder = WebServer.builder()
                .host(address.getHostString())
                .port(address.getPort())
                .shutdownHook(false)
                .featuresDiscoverServices(false)
                .maxPayloadSize(-1)
                .routing(r -> r.any(handler));
        if (!config.tlsDisable()) {
            builder.tls(tls(config));
        }
        WebServer server = builder.build().start();
        return new Listener(server, !config.tlsDisable(), address.getHostString());
    }

    private static Tls tls(ListenerConfig config) {
        Keys keys = loadKeys(config);
        SSLParameters params = new SSLParameters();
        params.setProtocols(protocols(config.tlsMinVersion()).toArray(String[]::new));
        return Tls.builder()
                .privateKey(keys.privateKey().orElseThrow(() -> new IllegalArgumentException(
                        "tls_key_file " + config.tlsKeyFile() + " holds no private key in PEM form")))
                .privateKeyCertChain(keys.certChain())
                .sslParameters(params)
                .build();
    }

    /** Loads the listener's PEM key pair; errors say which file and how to convert an unsupported key. */
    static Keys loadKeys(ListenerConfig config) {
        Keys keys;
        try {
            keys = Keys.builder().pem(pem -> pem
                            .key(Resource.create(config.tlsKeyFile()))
                            .certChain(Resource.create(config.tlsCertFile())))
                    .build();
            keys.privateKey();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot load the listener's TLS key pair (tls_cert_file "
                    + config.tlsCertFile() + ", tls_key_file " + config.tlsKeyFile() + "): " + e.getMessage()
                    + ". Keys must be PEM: PKCS#8 (BEGIN PRIVATE KEY) or RSA PKCS#1; convert an EC key with "
                    + "`openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem`", e);
        }
        return keys;
    }

    static List<String> protocols(String minVersion) {
        String v = minVersion == null ? "tls12" : minVersion;
        return switch (v) {
            case "tls13" -> List.of("TLSv1.3");
            case "tls12" -> List.of("TLSv1.3", "TLSv1.2");
            case "tls11" -> List.of("TLSv1.3", "TLSv1.2", "TLSv1.1");
            case "tls10" -> List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");
            default -> throw new IllegalArgumentException("tls_min_version \"" + v + "\" is not one of tls10, tls11, tls12, tls13");
        };
    }

    static InetSocketAddress parseAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("listener address \"" + address + "\" must be host:port, e.g. 127.0.0.1:8200");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            return InetSocketAddress.createUnresolved(host.isEmpty() ? "0.0.0.0" : host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listener address \"" + address + "\" has no valid port number");
        }
    }

    public int port() {
        return server.port();
    }

    /** The URL clients use to reach this listener. */
    public String url() {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return (tls ? "https://" : "http://") + h + ":" + port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
