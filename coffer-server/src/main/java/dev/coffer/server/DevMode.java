package dev.coffer.server;

import dev.coffer.core.Core;
import dev.coffer.server.config.ConfigLoader;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.hcl.Origin;
import dev.coffer.server.config.ServerConfig;
import dev.coffer.server.config.StorageConfig;
import java.util.List;
import java.util.Map;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code server -dev}: in-memory, initialized and unsealed with one key, plain HTTP on loopback. */
final class DevMode {
    private static final Logger LOG = LoggerFactory.getLogger(DevMode.class);

    private DevMode() {
    }

    /**
     * Dev mode's config: any {@code -config} files given too are read (so dev mode can try a seal stanza),
     * but storage defaults to in-memory and the only listener is plain HTTP on the dev address.
     */
    static ServerConfig config(ServerOptions options) {
        ServerConfig base = ConfigLoader.loadDev(options.configPaths());
        StorageConfig storage = base.storage() != null ? base.storage()
                : new StorageConfig("inmem", Map.of(), new Origin("-dev", 0), Map.of());
        ListenerConfig listener = new ListenerConfig("tcp", options.devListenAddress(), null, true, null, null,
                ListenerConfig.DEFAULT_TLS_MIN_VERSION, null, ListenerConfig.DEFAULT_MAX_REQUEST_SIZE,
                ListenerConfig.DEFAULT_MAX_REQUEST_DURATION);
        String apiAddr = base.apiAddr() != null ? base.apiAddr() : "http://" + options.devListenAddress();
        return new ServerConfig(storage, base.haStorage(), base.seals(), List.of(listener), apiAddr, base.clusterAddr(),
                base.clusterName(), base.ui(), base.logLevel(), base.logFormat(), true, base.defaultLeaseTtl(),
                base.maxLeaseTtl(), base.telemetry(), base.warnings(), List.of(), false, base.disableCache(),
                base.cacheSize());
    }

    static void printDevBanner(PrintStream out, String url, Core.DevInit dev) {
        String key = Base64.getEncoder().encodeToString(dev.unsealKey());
        boolean tokenFileWritten = writeTokenFile(dev.rootToken());
        out.println("WARNING! Dev mode is on. Everything lives in memory and is gone when the process stops;");
        out.println("the server started initialized and unsealed with a single unseal key, over plain HTTP.");
        if (tokenFileWritten) {
            out.println("The root token was written to ~/.vault-token, so the CLI is already authenticated.");
        }
        out.println();
        out.println("You may need to set the following environment variable:");
        out.println();
        out.println("    $ export VAULT_ADDR='" + url + "'");
        out.println();
        out.println("The unseal key and root token are shown below in case you want to seal/unseal the");
        out.println("server or authenticate again.");
        out.println();
        out.println("Unseal Key: " + key);
        out.println("Root Token: " + dev.rootToken());
        out.println();
        out.println("Never use dev mode in production.");
        out.println();
    }

    /** Like Vault's dev mode, hands the root token to the CLI through its token file (owner-only). */
    private static boolean writeTokenFile(String token) {
        if (Boolean.parseBoolean(System.getenv("COFFER_DEV_SKIP_TOKEN_FILE"))) {
            return false;
        }
        Path file = Path.of(System.getProperty("user.home"), ".vault-token");
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".vault-token", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the temp file already has the platform's private defaults
            }
            Files.writeString(tmp, token);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            LOG.warn("could not write the dev root token to {}: {}", file, e.getMessage());
            return false;
        }
    }
}
