package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.it.Cli.InitKeys;
import dev.coffer.it.Cli.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL skips every shutdown hook: what the file backend acknowledged must still be there afterwards. */
@Timeout(600)
class KillNineTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final FileStorageServer server = new FileStorageServer(() -> dir);

    @Test
    void killNineAfterRotations_restartsInitializedWithTheLastAcknowledgedTerm() {
        CofferProcess process = server.start();
        Cli cli = new Cli(dir, process.address());
        InitKeys keys = cli.init();
        cli.unseal(keys, 1, 2, 3);
        Cli root = cli.withToken(keys.rootToken());

        String lastTerm = null;
        for (int i = 0; i < 3; i++) {
            Result rotated = root.run("operator", "rotate");
            assertThat(rotated.exitCode()).as("%s", rotated).isZero();
            lastTerm = rotated.value("Key Term");
        }
        assertThat(lastTerm).isEqualTo("4");

        process.kill();
        assertThat(process.stdout()).as("no graceful shutdown ran").doesNotContain("shutdown requested");
        process = server.start();

        Result status = cli.run("status");
        assertThat(status.exitCode()).as("%s", status).isEqualTo(2);
        assertThat(status.value("Initialized")).isEqualTo("true");
        assertThat(status.value("Sealed")).isEqualTo("true");

        cli.unseal(keys, 2, 4, 5);
        Result keyStatus = root.run("operator", "key-status");
        assertThat(keyStatus.exitCode()).as("%s", keyStatus).isZero();
        assertThat(keyStatus.value("Key Term")).isEqualTo(lastTerm);

        // The keyring is still writable after the crash: one more rotation continues from the last term.
        assertThat(root.run("operator", "rotate").value("Key Term")).isEqualTo("5");
    }
}
