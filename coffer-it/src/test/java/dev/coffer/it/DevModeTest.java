package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coffer.it.Cli.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(600)
class DevModeTest {

    @TempDir
    Path dir;

    private CofferProcess server;

    @AfterEach
    void killServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void devServer_printsItsCredentials_andIsUnsealedWithTheChosenRootToken() {
        int port = CofferProcess.freePort();
        String address = "http://127.0.0.1:" + port;
        server = CofferProcess.launch(dir, address, List.of("server", "-dev",
                "-dev-listen-address=127.0.0.1:" + port, "-dev-root-token-id=e2e-root")).awaitHealth(null);

        await("dev banner").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> server.stdout().contains("Root Token:"));
        assertThat(server.stdout())
                .containsPattern("(?m)^Unseal Key: \\S+$")
                .containsPattern("(?m)^Root Token: e2e-root$")
                .contains("export VAULT_ADDR='" + address + "'");
        assertThat(dir.resolve("home/.vault-token")).as("COFFER_DEV_SKIP_TOKEN_FILE=true").doesNotExist();

        Cli cli = new Cli(dir, address);
        Result status = cli.run("status");
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.value("Sealed")).isEqualTo("false");

        Result keyStatus = cli.withToken("e2e-root").run("operator", "key-status");
        assertThat(keyStatus.exitCode()).as("%s", keyStatus).isZero();
        assertThat(keyStatus.value("Key Term")).isEqualTo("1");

        Result wrongToken = cli.withToken("not-root").run("operator", "key-status");
        assertThat(wrongToken.exitCode()).as("%s", wrongToken).isEqualTo(1);
        assertThat(wrongToken.stderr()).contains("Code: 403");
    }
}
