package dev.coffer.cli;

import picocli.CommandLine.Command;

/** {@code coffer kv undelete -versions=N PATH}: restores soft-deleted versions. */
@Command(name = "undelete", description = "Restore deleted (not destroyed) versions of a KV v2 secret.")
final class KvUndeleteCommand extends KvVersionsCommand {
    KvUndeleteCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    String area() {
        return "undelete";
    }
}
