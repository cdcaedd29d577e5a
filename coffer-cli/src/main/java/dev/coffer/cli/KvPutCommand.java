package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer kv put [-cas=N] PATH k=v...}: writes a secret, replacing it (a new version on KV v2). */
@Command(name = "put", description = "Write a secret: key=value pairs, key=@file, or - for JSON on stdin.")
final class KvPutCommand extends ClientCommand {
    @Option(names = {"-mount", "--mount"}, description = "The KV mount; PATH is then the key inside it.")
    String mount;

    @Option(names = {"-cas", "--cas"}, description = "Check-and-set (KV v2): write only if the current version is N "
            + "(0: only if the key does not exist).")
    Integer cas;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    @Parameters(index = "1..*", paramLabel = "K=V", arity = "1..*")
    List<String> pairs;

    KvPutCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "writing secret";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        KvTarget t = KvTarget.resolve(client, path, mount);
        ObjectNode data = KeyValueArgs.parse(pairs, ctx);
        return KvWrites.send(ctx, format, t, t.v2() ? KvWrites.v2Body(data, cas) : data, false, client);
    }
}
