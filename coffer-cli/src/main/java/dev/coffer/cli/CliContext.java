package dev.coffer.cli;

import dev.coffer.server.ServerOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Everything a command may touch outside itself, injected so tests run commands in-process.
 *
 * @param env            environment variables (VAULT_* / COFFER_*)
 * @param home           the user's home directory (token file)
 * @param out            standard output: results
 * @param err            standard error: errors and prompts
 * @param prompter       reads secrets (unseal keys) the user did not pass as arguments
 * @param serverLauncher starts the server for {@code coffer server}; returns its exit code
 */
public record CliContext(Map<String, String> env, Path home, PrintStream out, PrintStream err, Prompter prompter,
                         ToIntFunction<ServerOptions> serverLauncher) {
    public CliContext {
        env = Map.copyOf(env);
    }
}
