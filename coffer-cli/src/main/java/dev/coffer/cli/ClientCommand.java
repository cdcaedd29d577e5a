package dev.coffer.cli;

import dev.coffer.api.ClientConfig;
import dev.coffer.api.CofferClient;
import dev.coffer.api.CofferClientException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Base of commands that call the server: builds the client from environment and flags, reports failures. */
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    ClientOptions clientOptions;

    @Spec
    CommandSpec spec;

    protected final CliContext ctx;

    ClientCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** What the command was doing, for {@code Error <action>: <reason>}. */
    protected abstract String action();

    /** Runs against the server and returns the exit code. */
    protected abstract int execute(CofferClient client, OutputFormat format);

    @Override
    public final Integer call() {
        ClientConfig config;
        OutputFormat format;
        try {
            config = clientOptions.apply(ClientConfig.fromEnvironment(ctx.env(), ctx.home()));
            format = OutputFormat.parse(config.format());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        } catch (CofferClientException e) {
            ctx.err().println("Error in client settings: " + e.getMessage());
            return 1;
        }
        try (CofferClient client = CofferClient.create(config)) {
            return execute(client, format);
        } catch (CofferClientException e) {
            ctx.err().println("Error " + action() + ": " + e.getMessage());
            return 1;
        } catch (CommandFailure e) {
            ctx.err().println(e.getMessage());
            return 1;
        }
    }

    /** A misuse of flags or arguments; reported with the usage text. */
    protected final ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
