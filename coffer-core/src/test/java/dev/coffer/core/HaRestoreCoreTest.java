package dev.coffer.core;

import static dev.coffer.core.HaCores.restoreSnapshot;
import static dev.coffer.core.HaCores.saveSnapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coffer.storage.InmemBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot restores on an HA pair: the active node stays active, and the standby follows the restored keyring. */
class HaRestoreCoreTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @RegisterExtension
    final HaCores cluster = new HaCores(WAIT);

    @Test
    void afterARestoreToAnOlderKeyring_theActiveStaysActive_andTheStandbyFollowsTheKeyring() throws Exception {
        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        cluster.awaitStandby(b);
        a.barrier().put("data/x", "at-snapshot".getBytes(StandardCharsets.UTF_8));
        Path snap = saveSnapshot(a, dir.resolve("a.snap"));
        int termAtSnapshot = a.barrier().keyStatus().term();

        a.barrier().rotate();
        await("the standby follows a rotation").atMost(WAIT)
                .until(() -> b.barrier().keyStatus().term() == termAtSnapshot + 1);

        assertThat(restoreSnapshot(a, snap, false).sealed()).isFalse();

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
        Core other = cluster.closeAfterTest(new Core(CoreOptions.of(new InmemBackend(), "inmem")));
        other.devInit("other-root");
        Path foreign = saveSnapshot(other, dir.resolve("other.snap"));

        Core a = cluster.node("a");
        cluster.awaitActive(a);
        Core b = cluster.node("b");
        cluster.awaitStandby(b);

        assertThat(restoreSnapshot(a, foreign, true).sealed()).isTrue();

        assertThat(a.sealed()).isTrue();
        await("the standby cannot open the new keyring and seals").atMost(WAIT).until(b::sealed);
    }
}
