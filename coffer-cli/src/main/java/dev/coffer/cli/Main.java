package dev.coffer.cli;

import dev.coffer.server.CofferServer;
import java.io.PrintStream;
import java.nio.file.Path;

/** Main class of the distribution jar: runs {@link Cli} on the real process environment. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        CliContext ctx = new CliContext(System.getenv(), Path.of(System.getProperty("user.home")), out, err,
                new ConsolePrompter(System.console(), System.in, err), CofferServer::run);
        return new Cli(ctx).run(args);
    }
}
