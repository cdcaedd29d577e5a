package dev.coffer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code coffer version}. */
@Command(name = "version", description = "Print the Coffer version.")
final class VersionCommand implements Callable<Integer> {
    private final CliContext ctx;

    VersionCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.out().println(VersionInfo.line());
        return 0;
    }
}
