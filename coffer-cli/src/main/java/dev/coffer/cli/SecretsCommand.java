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

/** {@code coffer secrets enable|disable|list|tune}: manage secrets engine mounts ({@code sys/mounts}). */
@Command(name = "secrets", description = "Enable, disable, list and tune secrets engines.",
        subcommands = {SecretsCommand.Enable.class, SecretsCommand.Disable.class, SecretsCommand.ListMounts.class,
            SecretsCommand.Tune.class})
final class SecretsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.EXIT_ERROR;
    }

    /** The body of an enable or tune request from the shared flags. */
    static ObjectNode mountBody(String description, String defaultTtl, String maxTtl, Integer version) {
        ObjectNode body = CofferClient.mapper().createObjectNode();
        if (description != null) {
            body.put("description", description);
        }
        ObjectNode config = body.putObject("config");
        if (defaultTtl != null) {
            config.put("default_lease_ttl", defaultTtl);
        }
        if (maxTtl != null) {
            config.put("max_lease_ttl", maxTtl);
        }
        if (version != null) {
            body.putObject("options").put("version", String.valueOf(version));
        }
        return body;
    }

    @Command(name = "enable", description = "Mount a secrets engine of TYPE (e.g. kv) at -path (default: TYPE/).")
    static final class Enable extends ClientCommand {
        @Option(names = {"-path", "--path"}, description = "Where to mount it; default the type name.")
        String path;

        @Option(names = {"-description", "--description"})
        String description;

        @Option(names = {"-version", "--version"}, description = "KV version, 1 or 2 (same as -options=version=N).")
        Integer version;

        @Option(names = {"-default-lease-ttl", "--default-lease-ttl"}, description = "e.g. 1h")
        String defaultTtl;

        @Option(names = {"-max-lease-ttl", "--max-lease-ttl"}, description = "e.g. 24h")
        String maxTtl;

        @Parameters(index = "0", paramLabel = "TYPE")
        String type;

        Enable(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected String action() {
            return "enabling";
        }

        @Override
        protected int execute(CofferClient client, OutputFormat format) {
            String at = path == null ? type : path;
            at = at.endsWith("/") ? at : at + "/";
            ObjectNode body = mountBody(description, defaultTtl, maxTtl, version);
            body.put("type", type);
            client.write("sys/mounts/" + at, body);
            ctx.out().println("Success! Enabled the " + type + " secrets engine at: " + at);
            return 0;
        }
    }

    @Command(name = "disable", description = "Unmount a secrets engine; ALL its data is deleted.")
    static final class Disable extends ClientCommand {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        Disable(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected String action() {
            return "disabling secrets engine";
        }

        @Override
        protected int execute(CofferClient client, OutputFormat format) {
            client.delete("sys/mounts/" + path);
            ctx.out().println("Success! Disabled the secrets engine (if it existed) at: " + path);
            return 0;
        }
    }

    @Command(name = "list", description = "List the mounted secrets engines.")
    static final class ListMounts extends ClientCommand {
        @Option(names = {"-detailed", "--detailed"}, description = "Show TTLs and options too.")
        boolean detailed;

        ListMounts(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected String action() {
            return "listing secrets engines";
        }

        @Override
        protected int execute(CofferClient client, OutputFormat format) {
            JsonNode data = client.read("sys/mounts").orElseThrow().path("data");
            if (format == OutputFormat.JSON) {
                Output.json(ctx.out(), data);
            } else {
                MountOutput.print(ctx, data, detailed);
            }
            return 0;
        }
    }

    @Command(name = "tune", description = "Change a mount's TTLs, description or options.")
    static final class Tune extends ClientCommand {
        @Option(names = {"-description", "--description"})
        String description;

        @Option(names = {"-default-lease-ttl", "--default-lease-ttl"})
        String defaultTtl;

        @Option(names = {"-max-lease-ttl", "--max-lease-ttl"})
        String maxTtl;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        Tune(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected String action() {
            return "tuning mount";
        }

        @Override
        protected int execute(CofferClient client, OutputFormat format) {
            ObjectNode body = mountBody(description, defaultTtl, maxTtl, null);
            JsonNode config = body.remove("config");
            body.setAll((ObjectNode) config);
            String at = path.endsWith("/") ? path : path + "/";
            client.write("sys/mounts/" + at + "tune", body);
            ctx.out().println("Success! Tuned the secrets engine at: " + at);
            return 0;
        }
    }
}
