package dev.coffer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer kv patch [-cas=N] PATH k=v...}: changes some fields of the latest version (KV v2). */
@Command(name = "patch", description = "Change some fields of a KV v2 secret, keeping the others.")
final class KvPatchCommand extends ClientCommand {
    @Option(names = {"-mount", "--mount"}, description = "The KV mount; PATH is then the key inside it.")
    String mount;

    @Option(names = {"-cas", "--cas"}, description = "Patch only if the current version is N.")
    Integer cas;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    @Parameters(index = "1..*", paramLabel = "K=V", arity = "1..*")
    List<String> pairs;

    KvPatchCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "patching secret";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        KvTarget t = KvTarget.resolve(client, path, mount).requireV2("kv patch");
        ObjectNode data = KeyValueArgs.parse(pairs, ctx);
        return KvWrites.send(ctx, format, t, KvWrites.v2Body(data, cas), true, client);
    }
}
