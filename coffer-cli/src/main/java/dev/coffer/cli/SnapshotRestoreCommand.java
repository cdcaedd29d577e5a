package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.CofferClient;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapshot restore [-force] FILE}: replaces all data on the server with the snapshot in FILE. */
@Command(name = "restore", description = "Replace all data with the snapshot in FILE (needs a sudo token).")
final class SnapshotRestoreCommand extends ClientCommand {
    @Option(names = {"-force", "--force"}, description = "Restore a snapshot of another vault: all data is replaced and"
            + " the server seals; it then unseals only with that vault's unseal keys (or KMS key).")
    boolean force;

    @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file.")
    Path file;

    SnapshotRestoreCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "restoring snapshot";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        Optional<JsonNode> body = client.snapshotRestore(file, force);
        body.map(b -> b.path("warnings")).filter(JsonNode::isArray)
                .ifPresent(w -> w.forEach(text -> ctx.err().println("WARNING! " + text.asText())));
        return 0;
    }
}
