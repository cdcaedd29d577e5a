package dev.coffer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer operator snapshot save|restore|inspect}: snapshots on every storage backend. */
@Command(name = "snapshot", description = "Save, restore or inspect a snapshot of all data.",
        subcommands = {SnapshotSaveCommand.class, SnapshotRestoreCommand.class, SnapshotInspectCommand.class})
final class OperatorSnapshotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.EXIT_ERROR;
    }
}
