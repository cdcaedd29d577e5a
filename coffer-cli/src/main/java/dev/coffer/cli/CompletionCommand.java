package dev.coffer.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer completion}: prints a bash completion script; use with {@code source <(coffer completion)}. */
@Command(name = "completion", description = {"Print a bash completion script.",
    "Enable it with: source <(coffer completion)"})
final class CompletionCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    CompletionCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.out().print(AutoComplete.bash("coffer", spec.root().commandLine()));
        ctx.out().flush();
        return 0;
    }
}
