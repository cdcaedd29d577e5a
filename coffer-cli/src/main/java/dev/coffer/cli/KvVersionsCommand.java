package dev.coffer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferClient;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kv undelete} and {@code kv destroy}: change the state of the versions named by {@code -versions}. */
abstract class KvVersionsCommand extends ClientCommand {
    @Option(names = {"-mount", "--mount"}, description = "The KV mount; PATH is then the key inside it.")
    String mount;

    @Option(names = {"-versions", "--versions"}, split = ",", required = true, description = "Versions, e.g. 1,3.")
    int[] versions;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    KvVersionsCommand(CliContext ctx) {
        super(ctx);
    }

    /** {@code undelete} or {@code destroy}: the API area and the verb shown to the user. */
    abstract String area();

    static ObjectNode body(int[] versions) {
        ObjectNode body = CofferClient.mapper().createObjectNode();
        for (int v : versions) {
            body.withArray("versions").add(v);
        }
        return body;
    }

    @Override
    protected String action() {
        return "running kv " + area();
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        KvTarget t = KvTarget.resolve(client, path, mount).requireV2("kv " + area());
        client.write(t.api(area()), body(versions));
        ctx.out().println("Success! Data written to: " + t.api(area()));
        return 0;
    }
}
