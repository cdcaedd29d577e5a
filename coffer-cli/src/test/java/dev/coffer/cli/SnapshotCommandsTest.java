package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.server.Listener;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.storage.InmemBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** operator raft snapshot / operator snapshot against an in-process server over real HTTP. */
class SnapshotCommandsTest {
    @TempDir
    Path home;
    private Core core;
    private Listener listener;
    private CliRunner cli;

    @BeforeEach
    void start() {
        core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        core.devInit("root");
        listener = Listener.start(new ListenerConfig("tcp", "127.0.0.1:0", null, true, null, null, "tls12", null,
                1 << 20, Duration.ofSeconds(90)), core, "http://127.0.0.1:8200", null);
        cli = new CliRunner(home).env("VAULT_ADDR", listener.url()).env("VAULT_TOKEN", "root");
    }

    @AfterEach
    void stop() {
        listener.close();
        core.close();
    }

    private CliRunner.Result ok(String... args) {
        CliRunner.Result r = cli.run(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    @Test
    void raftSnapshotSaveAndRestore_roundTripThroughTheApi() throws Exception {
        ok("kv", "put", "secret/app", "a=1");
        Path file = home.resolve("backup.snap");
        ok("operator", "raft", "snapshot", "save", file.toString());
        assertThat(Files.exists(home.resolve("backup.snap.part"))).isFalse();
        ok("kv", "put", "secret/app", "a=2");

        ok("operator", "raft", "snapshot", "restore", file.toString());

        assertThat(ok("kv", "get", "-field=a", "secret/app").out()).isEqualTo("1\n");
        ok("operator", "snapshot", "save", home.resolve("second.snap").toString());
        ok("operator", "snapshot", "restore", "-force", home.resolve("second.snap").toString());
    }

    @Test
    void inspect_printsMetadataAndSaysTheSealedChecksumIsNotVerifiedOffline() {
        Path file = home.resolve("s.snap");
        ok("operator", "snapshot", "save", file.toString());
        String out = ok("operator", "snapshot", "inspect", file.toString()).out();
        assertThat(out).contains("Format Version", "1", "Storage Type", "inmem", "Entries", "Keyring Term",
                "Cluster ID", core.sealStatus().clusterId(), "verified", "not verified offline");
    }

    @Test
    void inspectOfADamagedFile_failsWithTheReason() throws Exception {
        Path file = home.resolve("s.snap");
        ok("operator", "snapshot", "save", file.toString());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CliRunner.Result r = cli.run("operator", "snapshot", "inspect", file.toString());
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
        CliRunner.Result r = cli.run("operator", "raft", "snapshot", "restore", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("Error restoring snapshot", "-force");
        assertThat(core.sealed()).isFalse();
    }

    private static Core devInit(Core core) {
        core.devInit("other");
        return core;
    }
}
