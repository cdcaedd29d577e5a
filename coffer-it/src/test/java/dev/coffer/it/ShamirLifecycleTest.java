package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.it.Cli.InitKeys;
import dev.coffer.it.Cli.Result;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A file-backed server taken through init, unseal, rotate, restart and seal, all through the real CLI. */
@Timeout(600)
class ShamirLifecycleTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final FileStorageServer server = new FileStorageServer(() -> dir);

    @Test
    void initUnsealRotateRestartSeal_keepsDataAndNeedsTheThresholdOfKeysEachTime() {
        CofferProcess process = server.start();
        Cli cli = new Cli(dir, process.address());

        InitKeys keys = cli.init();
        Result sealed = cli.run("status");
        assertThat(sealed.exitCode()).as("%s", sealed).isEqualTo(2);
        assertThat(sealed.value("Initialized")).isEqualTo("true");
        assertThat(sealed.value("Sealed")).isEqualTo("true");
        assertThat(sealed.value("Unseal Progress")).isEqualTo("0/3");

        assertProgress(cli.run("operator", "unseal", keys.key(1)), "1/3");
        assertProgress(cli.run("operator", "unseal", keys.key(2)), "2/3");

        Result wrong = cli.run("operator", "unseal", randomShare());
        assertThat(wrong.exitCode()).as("%s", wrong).isEqualTo(1);
        assertThat(wrong.stderr()).contains("not one of this vault's");
        assertThat(cli.run("status").value("Unseal Progress")).isEqualTo("2/3");

        Result unsealed = cli.run("operator", "unseal", keys.key(3));
        assertThat(unsealed.exitCode()).as("%s", unsealed).isZero();
        assertThat(unsealed.value("Sealed")).isEqualTo("false");
        assertThat(cli.run("status").exitCode()).isZero();

        Cli root = cli.withToken(keys.rootToken());
        Result rotated = root.run("operator", "rotate");
        assertThat(rotated.exitCode()).as("%s", rotated).isZero();
        assertThat(rotated.value("Key Term")).isEqualTo("2");
        assertThat(root.run("operator", "key-status").value("Key Term")).isEqualTo("2");

        // The JVM answers SIGTERM with 143 (128 + 15) once its shutdown hooks have run.
        assertThat(process.stop()).as("exit code after SIGTERM\n%s", process.output()).isIn(0, 143);
        assertThat(process.stdout()).contains("shutdown requested").contains("vault sealed");
        String firstRunLog = process.output();
        process = server.start();

        Result afterRestart = cli.run("status");
        assertThat(afterRestart.exitCode()).as("%s", afterRestart).isEqualTo(2);
        assertThat(afterRestart.value("Sealed")).isEqualTo("true");
        assertThat(afterRestart.value("Unseal Progress")).isEqualTo("0/3");

        cli.unseal(keys, 3, 4, 5);
        Result keyStatus = root.run("operator", "key-status");
        assertThat(keyStatus.exitCode()).as("%s", keyStatus).isZero();
        assertThat(keyStatus.value("Key Term")).as("the rotation written before the restart").isEqualTo("2");

        Result seal = root.run("operator", "seal");
        assertThat(seal.exitCode()).as("%s", seal).isZero();
        assertThat(seal.stdout()).contains("Success! Vault is sealed.");
        assertThat(cli.run("status").exitCode()).isEqualTo(2);

        // No KEY argument and no terminal: the share is read as one line from standard input.
        assertProgress(cli.runWithInput(keys.key(5) + "\n", "operator", "unseal"), "1/3");
        assertProgress(cli.runWithInput(keys.key(1) + "\n", "operator", "unseal"), "2/3");
        Result piped = cli.runWithInput(keys.key(2) + "\n", "operator", "unseal");
        assertThat(piped.value("Sealed")).as("%s", piped).isEqualTo("false");
        assertThat(piped.stdout()).doesNotContain(keys.key(2));
        assertThat(root.run("operator", "key-status").value("Key Term")).isEqualTo("2");

        // secrets never reach the server's log, in either run
        for (String log : List.of(firstRunLog, process.output())) {
            assertThat(log).contains("vault unsealed").doesNotContain(keys.rootToken());
            keys.keys().forEach(k -> assertThat(log).doesNotContain(k));
        }
    }

    private static void assertProgress(Result unseal, String progress) {
        assertThat(unseal.exitCode()).as("%s", unseal).isZero();
        assertThat(unseal.value("Sealed")).isEqualTo("true");
        assertThat(unseal.value("Unseal Progress")).isEqualTo(progress);
    }

    /** Well-formed like a real share (32 bytes of secret plus the x coordinate) but from no split. */
    static String randomShare() {
        byte[] bytes = new byte[33];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
