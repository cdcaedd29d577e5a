package dev.coffer.cli;

import dev.coffer.server.Diagnose;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code coffer operator diagnose -config=FILE}: checks a server configuration (config, listeners and TLS,
 * storage, seal and the stored root key) without starting a server. Runs locally, not over the API.
 */
@Command(name = "diagnose", description = "Check a server configuration without serving: config, listeners, TLS, "
        + "storage, seal (and whether the stored root key unwraps).",
        footer = "Exit codes: 0 every check passed, 2 warnings only, 1 at least one check failed.")
final class OperatorDiagnoseCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Option(names = {"-config", "--config"}, paramLabel = "PATH",
            description = "Configuration file or directory, as given to `coffer server`; repeatable.")
    List<Path> configPaths = new ArrayList<>();

    OperatorDiagnoseCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (configPaths.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "pass -config=FILE_OR_DIR (the server's configuration)");
        }
        return Diagnose.run(configPaths, ctx.out());
    }
}
