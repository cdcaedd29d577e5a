package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.ApiResponse;
import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer kv get [-version=N] [-field=NAME] PATH}: reads a secret from a KV v1 or v2 mount. */
@Command(name = "get", description = "Read a secret (the latest version, or -version=N on KV v2).")
final class KvGetCommand extends ClientCommand {
    @Option(names = {"-mount", "--mount"}, description = "The KV mount; PATH is then the key inside it.")
    String mount;

    @Option(names = {"-version", "--version"}, description = "Version to read (KV v2); default the latest.")
    Integer version;

    @Option(names = {"-field", "--field"}, description = "Print only this field's value.")
    String field;

    @Parameters(index = "0", paramLabel = "PATH", description = "e.g. secret/app")
    String path;

    KvGetCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "reading secret";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        KvTarget t = KvTarget.resolve(client, path, mount);
        String api = t.api("data") + (t.v2() && version != null ? "?version=" + version : "");
        ApiResponse r = client.raw("GET", api, null);
        JsonNode body = r.body();
        if (r.status() == 404 && (body == null || body.path("data").isNull() || body.path("data").isMissingNode())) {
            throw new CommandFailure("No value found at " + api);
        }
        if (!r.isSuccess() && r.status() != 404) {
            throw new CommandFailure("Error reading " + api + ": " + body.path("errors"));
        }
        JsonNode data = t.v2() ? body.path("data").path("data") : body.path("data");
        if (r.status() == 404 && field == null && format == OutputFormat.TABLE) {
            ctx.out().println("Warning: this version is deleted or destroyed; its metadata is shown below.");
        }
        if (field != null) {
            if (data.isNull()) {
                throw new CommandFailure("No value found at " + api + " (the version is deleted or destroyed)");
            }
            return SecretView.field(ctx.out(), data, field);
        }
        if (format == OutputFormat.JSON) {
            Output.json(ctx.out(), body);
            return 0;
        }
        if (t.v2()) {
            SecretView.header(ctx.out(), "Secret Path", 24);
            ctx.out().println(api);
            ctx.out().println();
            SecretView.table(ctx.out(), "Metadata", body.path("data").path("metadata"));
            if (!data.isObject()) {
                return r.status() == 404 ? 2 : 0;
            }
            ctx.out().println();
            SecretView.table(ctx.out(), "Data", data);
        } else {
            SecretView.table(ctx.out(), null, data);
        }
        return 0;
    }
}
