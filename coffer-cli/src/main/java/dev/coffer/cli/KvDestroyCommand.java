package dev.coffer.cli;

import picocli.CommandLine.Command;

/** {@code coffer kv destroy -versions=N PATH}: removes versions' data for good. */
@Command(name = "destroy", description = "Permanently remove versions of a KV v2 secret (cannot be undone).")
final class KvDestroyCommand extends KvVersionsCommand {
    KvDestroyCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    String area() {
        return "destroy";
    }
}
