package dev.coffer.server;

import java.nio.file.Path;
import java.util.List;

/**
 * Flags of {@code coffer server}, parsed by the CLI and handed to {@link CofferServer#run}.
 *
 * @param configPaths     {@code -config} values (files or directories), in order; empty in dev mode
 * @param dev             {@code -dev}: in-memory storage, initialized and unsealed, HTTP on 127.0.0.1:8200
 * @param devListenAddress {@code -dev-listen-address}, default {@code 127.0.0.1:8200}
 * @param devRootTokenId  {@code -dev-root-token-id}, or null for a random token
 * @param logLevel        {@code -log-level} (trace, debug, info, warn, error), or null for the config's / info
 */
public record ServerOptions(List<Path> configPaths, boolean dev, String devListenAddress, String devRootTokenId,
                            String logLevel) {
    public static final String DEFAULT_DEV_LISTEN_ADDRESS = "127.0.0.1:8200";

    public ServerOptions {
        configPaths = List.copyOf(configPaths);
        if (devListenAddress == null || devListenAddress.isBlank()) {
            devListenAddress = DEFAULT_DEV_LISTEN_ADDRESS;
        }
    }
}
