package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.it.Cli.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real jar: a dev server has KV v2 at secret/, and the CLI writes and reads it. */
@Timeout(90)
class KvEndToEndTest {
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
    void devServer_kvPutThenGetField() {
        int port = CofferProcess.freePort();
        String address = "http://127.0.0.1:" + port;
        server = CofferProcess.launch(dir, address, List.of("server", "-dev", "-dev-listen-address=127.0.0.1:" + port,
                "-dev-root-token-id=kv-root")).awaitHealth(null);
        Cli cli = new Cli(dir, address).withToken("kv-root");

        Result put = cli.run("kv", "put", "secret/app", "a=1");
        assertThat(put.exitCode()).as("%s", put).isZero();
        Result get = cli.run("kv", "get", "-field=a", "secret/app");
        assertThat(get.exitCode()).as("%s", get).isZero();
        assertThat(get.stdout().strip()).isEqualTo("1");
    }
}
