package dev.coffer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer kv}: the KV secrets engine, v1 or v2 detected from the mount. */
@Command(name = "kv", description = "Read and write secrets in a KV secrets engine (version 1 or 2).",
        subcommands = {KvPutCommand.class, KvGetCommand.class, KvPatchCommand.class, KvDeleteCommand.class,
            KvUndeleteCommand.class, KvDestroyCommand.class, KvListCommand.class, KvMetadataCommand.class})
final class KvCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.EXIT_ERROR;
    }
}
