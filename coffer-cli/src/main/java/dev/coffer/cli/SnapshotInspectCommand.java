package dev.coffer.cli;

import dev.coffer.snapshot.SnapshotMetadata;
import dev.coffer.snapshot.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code operator snapshot inspect FILE}: checks a snapshot file locally, without a server, and prints its
 * metadata. The sealed checksum cannot be checked offline: only the vault that wrote it can open it.
 */
@Command(name = "inspect", description = "Print a snapshot's metadata and verify its checksums, without restoring.")
final class SnapshotInspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file.")
    Path file;

    private final CliContext ctx;

    SnapshotInspectCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SnapshotMetadata m;
        try (InputStream in = Files.newInputStream(file)) {
            m = SnapshotReader.inspect(in);
        } catch (IOException e) {
            ctx.err().println("Error inspecting snapshot: cannot read " + file + ": " + e.getMessage());
            return 1;
        } catch (dev.coffer.CofferException e) {
            ctx.err().println("Error inspecting snapshot: " + e.getMessage());
            return 1;
        }
        Output.columns(ctx.out(), List.of(
                Output.Row.of("Format Version", m.formatVersion()),
                Output.Row.of("Coffer Version", m.cofferVersion()),
                Output.Row.of("Storage Type", m.storageType()),
                Output.Row.of("Created", m.createdTime()),
                Output.Row.of("Entries", m.entryCount()),
                Output.Row.of("Keyring Term", m.keyringTerm()),
                Output.Row.of("Cluster ID", m.clusterId()),
                Output.Row.of("Checksums", "verified (SHA256SUMS matches metadata.json and entries)"),
                Output.Row.of("Sealed Checksum", "not verified offline: only the vault that wrote it can open it;"
                        + " a restore checks it")));
        return 0;
    }
}
