package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.storage.InmemBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** operator raft snapshot / operator snapshot against an in-process server over real HTTP. */
class SnapshotCommandsTest {
    @TempDir
    Path home;
    @RegisterExtension
    final DevServerCli server = new DevServerCli(() -> home);

    @Test
    void raftSnapshotSaveAndRestore_roundTripThroughTheApi() throws Exception {
        server.ok("kv", "put", "secret/app", "a=1");
        Path file = home.resolve("backup.snap");
        server.ok("operator", "raft", "snapshot", "save", file.toString());
        assertThat(Files.exists(home.resolve("backup.snap.part"))).isFalse();
        server.ok("kv", "put", "secret/app", "a=2");

        server.ok("operator", "raft", "snapshot", "restore", file.toString());

        assertThat(server.ok("kv", "get", "-field=a", "secret/app").out()).isEqualTo("1\n");
        server.ok("operator", "snapshot", "save", home.resolve("second.snap").toString());
        server.ok("operator", "snapshot", "restore", "-force", home.resolve("second.snap").toString());
    }

    @Test
    void inspect_printsMetadataAndSaysTheSealedChecksumIsNotVerifiedOffline() {
        Path file = home.resolve("s.snap");
        server.ok("operator", "snapshot", "save", file.toString());
        String out = server.ok("operator", "snapshot", "inspect", file.toString()).out();
        assertThat(out).contains("Format Version", "1", "Storage Type", "inmem", "Entries", "Keyring Term",
                "Cluster ID", server.core().sealStatus().clusterId(), "verified", "not verified offline");
    }

    @Test
    void inspectOfADamagedFile_failsWithTheReason() throws Exception {
        Path file = home.resolve("s.snap");
        server.ok("operator", "snapshot", "save", file.toString());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CliRunner.Result r = server.cli().run("operator", "snapshot", "inspect", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("Error inspecting snapshot", "truncated");
    }

    @Test
    void restoreOfAnotherVaultsSnapshot_withoutForce_failsNamingForce() throws Exception {
        Path file = home.resolve("other.snap");
        try (Core other = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
             var snapshot = dev.coffer.snapshot.Snapshots.save(devInit(other))) {
            snapshot.writeTo(file);
        }
        CliRunner.Result r = server.cli().run("operator", "raft", "snapshot", "restore", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("Error restoring snapshot", "-force");
        assertThat(server.core().sealed()).isFalse();
    }

    private static Core devInit(Core core) {
        core.devInit("other");
        return core;
    }
}
