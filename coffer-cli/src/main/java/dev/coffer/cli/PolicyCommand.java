package dev.coffer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer policy}: write, read, list and delete ACL policies. */
@Command(name = "policy", description = "Write, read, list and delete ACL policies.",
        subcommands = {PolicyWriteCommand.class, PolicyReadCommand.class, PolicyListCommand.class,
            PolicyDeleteCommand.class})
final class PolicyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.EXIT_ERROR;
    }
}
