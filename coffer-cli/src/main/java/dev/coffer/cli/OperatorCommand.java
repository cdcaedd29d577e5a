package dev.coffer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer operator}: the commands that manage the seal and the keys. */
@Command(name = "operator", description = "Initialize, unseal, seal, step down, rotate, rekey and take snapshots.",
        subcommands = {OperatorInitCommand.class, OperatorUnsealCommand.class, OperatorSealCommand.class,
            OperatorStepDownCommand.class,
            OperatorRotateCommand.class, OperatorKeyStatusCommand.class, OperatorRekeyCommand.class,
            OperatorGenerateRootCommand.class, OperatorDiagnoseCommand.class, OperatorRaftCommand.class,
            OperatorSnapshotCommand.class})
final class OperatorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.EXIT_ERROR;
    }
}
