package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code coffer auth enable|disable|list}: manage auth method mounts ({@code sys/auth}, needs sudo). */
@Command(name = "auth", description = "Enable, disable and list auth methods.",
        subcommands = {AuthCommand.Enable.class, AuthCommand.Disable.class, AuthCommand.ListMethods.class})
final class AuthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.EXIT_ERROR;
    }

    @Command(name = "enable", description = "Enable an auth method of TYPE at -path (default: TYPE/).")
    static final class Enable extends ClientCommand {
        @Option(names = {"-path", "--path"})
        String path;

        @Option(names = {"-description", "--description"})
        String description;

        @Parameters(index = "0", paramLabel = "TYPE")
        String type;

        Enable(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected String action() {
            return "enabling auth method";
        }

        @Override
        protected int execute(CofferClient client, OutputFormat format) {
            String at = path == null ? type : path;
            at = at.endsWith("/") ? at : at + "/";
            ObjectNode body = SecretsCommand.mountBody(description, null, null, null).put("type", type);
            client.write("sys/auth/" + at, body);
            ctx.out().println("Success! Enabled " + type + " auth method at: " + at);
            return 0;
        }
    }

    @Command(name = "disable", description = "Disable an auth method; its tokens and data are deleted.")
    static final class Disable extends ClientCommand {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        Disable(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected String action() {
            return "disabling auth method";
        }

        @Override
        protected int execute(CofferClient client, OutputFormat format) {
            client.delete("sys/auth/" + path);
            ctx.out().println("Success! Disabled the auth method (if it existed) at: " + path);
            return 0;
        }
    }

    @Command(name = "list", description = "List the enabled auth methods.")
    static final class ListMethods extends ClientCommand {
        @Option(names = {"-detailed", "--detailed"})
        boolean detailed;

        ListMethods(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected String action() {
            return "listing auth methods";
        }

        @Override
        protected int execute(CofferClient client, OutputFormat format) {
            JsonNode data = client.read("sys/auth").orElseThrow().path("data");
            if (format == OutputFormat.JSON) {
                Output.json(ctx.out(), data);
            } else {
                MountOutput.print(ctx, data, detailed);
            }
            return 0;
        }
    }
}
