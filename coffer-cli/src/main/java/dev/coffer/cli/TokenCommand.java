package dev.coffer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer token}: create, look up, renew and revoke tokens. */
@Command(name = "token", description = "Create, look up, renew and revoke tokens.",
        subcommands = {TokenCreateCommand.class, TokenLookupCommand.class, TokenRenewCommand.class,
            TokenRevokeCommand.class})
final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.EXIT_ERROR;
    }
}
