package dev.coffer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer operator raft}: Vault's command group; Coffer offers its snapshot part on every backend. */
@Command(name = "raft", description = "Vault-compatible snapshot commands (any storage backend).",
        subcommands = {OperatorRaftCommand.Snapshot.class})
final class OperatorRaftCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.EXIT_ERROR;
    }

    /** {@code coffer operator raft snapshot save|restore}. */
    @Command(name = "snapshot", description = "Save or restore a snapshot of all data.",
            subcommands = {SnapshotSaveCommand.class, SnapshotRestoreCommand.class})
    static final class Snapshot implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return Cli.EXIT_ERROR;
        }
    }
}
