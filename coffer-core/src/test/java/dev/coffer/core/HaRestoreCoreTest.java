package dev.coffer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coffer.snapshot.PreparedSnapshot;
import dev.coffer.snapshot.Snapshots;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.InmemHaCluster;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot restores on an HA pair: the active node stays active, and the standby follows the restored keyring. */
class HaRestoreCoreTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final InmemHaCluster cluster = new InmemHaCluster();
    private final List<Core> cores = new ArrayList<>();
    private InitResult init;

    @AfterEach
    void closeAll() {
        cores.forEach(Core::close);
    }

    private Core node(String name) {
        Core core = new Core(new CoreOptions(cluster.node(), "inmem", null, "http://" + name + ":8200",
                "https://" + name + ":8201", null, null, null, null, null));
        cores.add(core);
        if (init == null) {
            init = core.init(new InitRequest(1, 1, 0, 0));
        }
        core.unseal(Base64.getEncoder().encodeToString(init.keys().get(0)));
        return core;
    }

    private Path save(Core core, String name) throws Exception {
        Path file = dir.resolve(name);
        try (PreparedSnapshot snapshot = Snapshots.save(core)) {
            snapshot.writeTo(file);
        }
        return file;
    }

    private static Snapshots.Restored restore(Core core, Path file, boolean force) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return Snapshots.restore(core, in, force);
        }
    }

    @Test
    void afterARestoreToAnOlderKeyring_theActiveStaysActive_andTheStandbyFollowsTheKeyring() throws Exception {
        Core a = node("a");
        await().atMost(WAIT).until(() -> a.haState().self());
        Core b = node("b");
        await().atMost(WAIT).until(() -> b.standby() && b.haState().leader() != null);
        a.barrier().put("data/x", "at-snapshot".getBytes(StandardCharsets.UTF_8));
        Path snap = save(a, "a.snap");
        int termAtSnapshot = a.barrier().keyStatus().term();

        a.barrier().rotate();
        await("the standby follows a rotation").atMost(WAIT)
                .until(() -> b.barrier().keyStatus().term() == termAtSnapshot + 1);

        assertThat(restore(a, snap, false).sealed()).isFalse();

        assertThat(a.haState().self()).as("the restoring node keeps the HA lock").isTrue();
        assertThat(a.barrier().keyStatus().term()).isEqualTo(termAtSnapshot);
        await("the standby drops the term the restore removed").atMost(WAIT)
                .until(() -> b.barrier().keyStatus().term() == termAtSnapshot);
        // the next rotation makes a term of the same number with a new key: the standby must hold that one
        a.barrier().rotate();
        await().atMost(WAIT).until(() -> b.barrier().keyStatus().term() == termAtSnapshot + 1);
        await("the active node reads both heartbeats").atMost(WAIT).ignoreExceptions()
                .until(() -> a.haNodes().size() == 2);
        assertThat(new String(b.barrier().get("data/x").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("at-snapshot");
    }

    @Test
    void afterAForcedRestoreOfAnotherVault_theStandbySealsItself() throws Exception {
        Core other = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        cores.add(other);
        other.devInit("other-root");
        Path foreign = save(other, "other.snap");

        Core a = node("a");
        await().atMost(WAIT).until(() -> a.haState().self());
        Core b = node("b");
        await().atMost(WAIT).until(() -> b.standby() && b.haState().leader() != null);

        assertThat(restore(a, foreign, true).sealed()).isTrue();

        assertThat(a.sealed()).isTrue();
        await("the standby cannot open the new keyring and seals").atMost(WAIT).until(b::sealed);
    }
}
