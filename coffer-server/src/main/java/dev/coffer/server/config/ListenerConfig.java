package dev.coffer.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@code listener "tcp" { ... }} stanza, validated: when TLS is on, certificate and key are set.
 *
 * @param clusterAddress     nullable; where other nodes reach this one
 * @param tlsCertFile        null when {@code tlsDisable}
 * @param tlsKeyFile         null when {@code tlsDisable}
 * @param tlsMinVersion      one of tls10, tls11, tls12 (default), tls13
 * @param tlsClientCaFile    nullable; when set, client certificates signed by it are requested
 * @param maxRequestSize     bytes; {@link #NO_SIZE_LIMIT} when the file set a negative value (Vault's
 *                           way to turn the limit off); 0 or absent gives {@link #DEFAULT_MAX_REQUEST_SIZE}
 * @param maxRequestDuration positive; 0 or absent gives {@link #DEFAULT_MAX_REQUEST_DURATION}
 * @param forwardedFor       which peers may name the client in {@code X-Forwarded-For} ({@code x_forwarded_for_*})
 */
public record ListenerConfig(String type, String address, String clusterAddress, boolean tlsDisable, Path tlsCertFile,
                             Path tlsKeyFile, String tlsMinVersion, Path tlsClientCaFile, long maxRequestSize,
                             Duration maxRequestDuration, ForwardedForConfig forwardedFor) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1:8200";
    public static final String DEFAULT_TLS_MIN_VERSION = "tls12";
    public static final long DEFAULT_MAX_REQUEST_SIZE = 32L * 1024 * 1024;
    public static final long NO_SIZE_LIMIT = -1;
    public static final Duration DEFAULT_MAX_REQUEST_DURATION = Duration.ofSeconds(90);

    public ListenerConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tlsMinVersion, "tlsMinVersion");
        Objects.requireNonNull(maxRequestDuration, "maxRequestDuration");
        forwardedFor = forwardedFor == null ? ForwardedForConfig.NONE : forwardedFor;
    }

    /** A listener that trusts no proxy's {@code X-Forwarded-For}. */
    public ListenerConfig(String type, String address, String clusterAddress, boolean tlsDisable, Path tlsCertFile,
                          Path tlsKeyFile, String tlsMinVersion, Path tlsClientCaFile, long maxRequestSize,
                          Duration maxRequestDuration) {
        this(type, address, clusterAddress, tlsDisable, tlsCertFile, tlsKeyFile, tlsMinVersion, tlsClientCaFile,
                maxRequestSize, maxRequestDuration, ForwardedForConfig.NONE);
    }

    public boolean hasSizeLimit() {
        return maxRequestSize != NO_SIZE_LIMIT;
    }
}
