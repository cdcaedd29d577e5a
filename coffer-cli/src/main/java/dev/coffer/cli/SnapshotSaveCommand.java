package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code snapshot save FILE}: streams a point-in-time snapshot from the server into FILE. */
@Command(name = "save", description = "Save a point-in-time snapshot of all data to FILE (needs a sudo token).")
final class SnapshotSaveCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the snapshot (a gzip'd tar).")
    Path file;

    SnapshotSaveCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "saving snapshot";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        client.snapshotSave(file);
        return 0;
    }
}
