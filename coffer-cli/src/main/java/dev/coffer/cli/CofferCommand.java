package dev.coffer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Root of the command tree: {@code coffer <command>}. */
@Command(name = "coffer", versionProvider = VersionInfo.class,
        description = "Coffer: a secrets server that speaks Vault's HTTP API.",
        subcommands = {ServerCommand.class, StatusCommand.class, OperatorCommand.class, VersionCommand.class,
            AuditCommand.class, SecretsCommand.class, AuthCommand.class, KvCommand.class, ReadCommand.class,
            WriteCommand.class, ListCommand.class, DeleteCommand.class, LoginCommand.class, TokenCommand.class,
            PolicyCommand.class, CompletionCommand.class},
        footer = {"", "Exit codes: 0 success, 1 error (including wrong flags or arguments),",
            "2 sealed (status) or not initialized (operator init -status)."})
final class CofferCommand implements Callable<Integer> {
    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Show this help.")
    boolean help;

    @Option(names = {"-v", "-version", "--version"}, versionHelp = true, description = "Print the version.")
    boolean version;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.EXIT_ERROR;
    }
}
