package dev.coffer.cli;

import dev.coffer.server.ServerOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code coffer server}: hands the flags to the server and blocks while it runs. */
@Command(name = "server", description = "Start a Coffer server.")
final class ServerCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Option(names = {"-config", "--config"}, paramLabel = "PATH",
            description = "Configuration file or directory (HCL or JSON); repeat to merge several.")
    List<Path> configPaths = new ArrayList<>();

    @Option(names = {"-dev", "--dev"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Development mode: in-memory, initialized, unsealed, plain HTTP. Never for real secrets.")
    boolean dev;

    @Option(names = {"-dev-listen-address", "--dev-listen-address"}, paramLabel = "HOST:PORT",
            description = "Listen address in development mode (default 127.0.0.1:8200).")
    String devListenAddress;

    @Option(names = {"-dev-root-token-id", "--dev-root-token-id"}, paramLabel = "TOKEN",
            description = "Root token in development mode instead of a random one.")
    String devRootTokenId;

    @Option(names = {"-dev-ha", "--dev-ha"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Development HA cluster: an embedded PostgreSQL and -dev-nodes server processes on 127.0.0.1"
                    + " (one active, the others standbys). Kill the active one to watch a standby take over.")
    boolean devHa;

    @Option(names = {"-dev-nodes", "--dev-nodes"}, paramLabel = "N", defaultValue = "3",
            description = "Number of nodes with -dev-ha (default 3).")
    int devNodes;

    @Option(names = {"-log-level", "--log-level"}, paramLabel = "LEVEL",
            description = "trace, debug, info, warn or error (default: the configuration's, else info).")
    String logLevel;

    ServerCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (devHa) {
            if (devNodes < 1 || devNodes > 9) {
                throw new ParameterException(spec.commandLine(), "-dev-nodes must be between 1 and 9");
            }
            return new DevHaCluster(devNodes, ctx.out()).run();
        }
        if (configPaths.isEmpty() && !dev) {
            throw new ParameterException(spec.commandLine(),
                    "no configuration given; pass -config=FILE_OR_DIR, or -dev for a throwaway development server");
        }
        if (logLevel != null && !logLevel.matches("(?i)trace|debug|info|warn|error")) {
            throw new ParameterException(spec.commandLine(),
                    "unknown -log-level \"" + logLevel + "\"; use trace, debug, info, warn or error");
        }
        return ctx.serverLauncher().applyAsInt(
                new ServerOptions(configPaths, dev, devListenAddress, devRootTokenId, logLevel));
    }
}
