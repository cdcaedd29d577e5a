package dev.coffer.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The {@code coffer} command line, runnable in-process. Exit codes: 0 success, 1 error or usage mistake,
 * 2 "sealed" / "not initialized" for {@code status} and {@code operator init -status}.
 */
public final class Cli {
    static final int EXIT_ERROR = 1;

    private final CliContext ctx;

    public Cli(CliContext ctx) {
        this.ctx = ctx;
    }

    public int run(String... args) {
        return commandLine().execute(args);
    }

    CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(CofferCommand.class, new ContextFactory(ctx));
        commandLine.setPosixClusteredShortOptionsAllowed(false);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(ctx.out(), true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(ctx.err(), true, StandardCharsets.UTF_8));
        commandLine.setParameterExceptionHandler(this::onUsageError);
        commandLine.setExecutionExceptionHandler(this::onFailure);
        return commandLine;
    }

    private int onUsageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("Error: " + e.getMessage());
        err.println();
        e.getCommandLine().usage(err);
        return EXIT_ERROR;
    }

    private int onFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        commandLine.getErr().println("Error: " + message);
        return EXIT_ERROR;
    }
}
