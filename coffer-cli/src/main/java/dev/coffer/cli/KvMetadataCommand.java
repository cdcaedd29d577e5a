package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code coffer kv metadata get|put|delete PATH}: a KV v2 key's settings and version history. */
@Command(name = "metadata", description = "Read, change or remove a KV v2 key's metadata.",
        subcommands = {KvMetadataCommand.Get.class, KvMetadataCommand.Put.class, KvMetadataCommand.Delete.class})
final class KvMetadataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.EXIT_ERROR;
    }

    @Command(name = "get", description = "Show a key's settings and every kept version.")
    static final class Get extends ClientCommand {
        @Option(names = {"-mount", "--mount"}, description = "The KV mount.")
        String mount;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        Get(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected String action() {
            return "reading metadata";
        }

        @Override
        protected int execute(CofferClient client, OutputFormat format) {
            KvTarget t = KvTarget.resolve(client, path, mount).requireV2("kv metadata");
            JsonNode body = client.read(t.api("metadata"))
                    .orElseThrow(() -> new CommandFailure("No value found at " + t.api("metadata")));
            if (format == OutputFormat.JSON) {
                Output.json(ctx.out(), body);
                return 0;
            }
            ObjectNode meta = ((ObjectNode) body.path("data")).deepCopy();
            JsonNode versions = meta.remove("versions");
            SecretView.table(ctx.out(), "Metadata", meta);
            versions.properties().forEach(e -> {
                ctx.out().println();
                SecretView.table(ctx.out(), "Version " + e.getKey(), e.getValue());
            });
            return 0;
        }
    }

    @Command(name = "put", description = "Set max_versions, cas_required, delete_version_after, custom_metadata.")
    static final class Put extends ClientCommand {
        @Option(names = {"-mount", "--mount"}, description = "The KV mount.")
        String mount;

        @Option(names = {"-max-versions", "--max-versions"}, description = "Versions to keep (0: the mount's setting).")
        Integer maxVersions;

        @Option(names = {"-cas-required", "--cas-required"}, arity = "0..1", fallbackValue = "true",
                description = "Require -cas on every write.")
        Boolean casRequired;

        @Option(names = {"-delete-version-after", "--delete-version-after"}, description = "e.g. 720h; 0s = never.")
        String deleteVersionAfter;

        @Option(names = {"-custom-metadata", "--custom-metadata"}, description = "key=value, repeatable.")
        List<String> custom;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        Put(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected String action() {
            return "writing metadata";
        }

        @Override
        protected int execute(CofferClient client, OutputFormat format) {
            KvTarget t = KvTarget.resolve(client, path, mount).requireV2("kv metadata");
            ObjectNode body = CofferClient.mapper().createObjectNode();
            if (maxVersions != null) {
                body.put("max_versions", maxVersions);
            }
            if (casRequired != null) {
                body.put("cas_required", casRequired);
            }
            if (deleteVersionAfter != null) {
                body.put("delete_version_after", deleteVersionAfter);
            }
            if (custom != null) {
                body.set("custom_metadata", KeyValueArgs.parse(custom, ctx));
            }
            client.write(t.api("metadata"), body);
            ctx.out().println("Success! Data written to: " + t.api("metadata"));
            return 0;
        }
    }

    @Command(name = "delete", description = "Remove a key entirely: every version and its metadata.")
    static final class Delete extends ClientCommand {
        @Option(names = {"-mount", "--mount"}, description = "The KV mount.")
        String mount;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected String action() {
            return "deleting metadata";
        }

        @Override
        protected int execute(CofferClient client, OutputFormat format) {
            KvTarget t = KvTarget.resolve(client, path, mount).requireV2("kv metadata");
            client.delete(t.api("metadata"));
            ctx.out().println("Success! Data deleted (if it existed) at: " + t.api("metadata"));
            return 0;
        }
    }
}
