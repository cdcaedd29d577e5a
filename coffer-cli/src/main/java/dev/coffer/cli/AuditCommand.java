package dev.coffer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer audit}: enable, disable and list audit devices. */
@Command(name = "audit", description = "Enable, disable and list audit devices.",
        subcommands = {AuditEnableCommand.class, AuditDisableCommand.class, AuditListCommand.class})
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.EXIT_ERROR;
    }
}
