package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.it.Cli.InitKeys;
import dev.coffer.it.Cli.Result;
import dev.coffer.it.RawHttp.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or broken input (requests, stored bytes, configuration) against a real server process. */
@Timeout(600)
class BadInputTest {

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
    void badRequests_areRefusedWithVaultStatuses_andChangeNothing() {
        int port = CofferProcess.freePort();
        server = CofferProcess.start(dir, CofferProcess.writeConfig(dir, port, "max_request_size = 1024"), port);
        Cli cli = new Cli(dir, server.address());
        InitKeys keys = cli.init();
        cli.unseal(keys, 1, 2, 3);
        String token = keys.rootToken();

        try (RawHttp http = new RawHttp(server.address())) {
            assertErrors(http.put("sys/unseal", null, "{\"key\": "), 400);
            assertErrors(http.put("sys/rotate/config", token, "{bad json"), 400);
            assertErrors(http.put("sys/rotate/config", token, "[1, 2]"), 400);
            assertErrors(http.put("sys/rotate/config", token, "{\"max_operations\": \"lots\"}"), 400);
            assertErrors(http.put("sys/unseal", null, "{\"key\": 5}"), 400);
            assertErrors(http.put("sys/unseal", null, "{\"reset\": \"maybe\"}"), 400);

            Response tooLarge = http.put("sys/rotate/config", token, "{\"x\":\"" + "a".repeat(2048) + "\"}");
            assertErrors(tooLarge, 413);
            assertThat(tooLarge.json().path("errors").get(0).asText()).contains("max_request_size");

            assertErrors(http.get("no/such/mount", token), 404);
            assertErrors(http.get("sys/no-such-endpoint", token), 404);
            assertErrors(http.get("no/such/mount", null), 403);
            assertErrors(http.get("sys/no-such-endpoint", null), 403);

            for (Response tokenless : List.of(http.put("sys/seal", null, null), http.put("sys/rotate", null, null),
                    http.get("sys/key-status", null), http.get("sys/rotate/config", null),
                    http.put("sys/rotate/config", null, "{\"max_operations\": 1000}"),
                    http.put("sys/seal", "not-a-token", null), http.put("sys/rotate", "not-a-token", null))) {
                assertErrors(tokenless, 403);
            }

            Response health = http.get("sys/health", null);
            assertThat(health.status()).as("%s", health).isEqualTo(200);
            assertThat(health.json().path("sealed").asBoolean(true)).isFalse();
            Response keyStatus = http.get("sys/key-status", token);
            assertThat(keyStatus.status()).as("%s", keyStatus).isEqualTo(200);
            assertThat(keyStatus.json().path("term").asInt()).as("no rotation slipped through").isEqualTo(1);
        }
        assertThat(server.isAlive()).isTrue();
        assertThat(server.stdout() + server.stderr()).doesNotContain("Exception");
    }

    @Test
    void flippedByteInStoredKeyring_failsUnsealWithAClearError_andServerStaysUp() throws IOException {
        int port = CofferProcess.freePort();
        Path config = CofferProcess.writeConfig(dir, port, "");
        server = CofferProcess.start(dir, config, port);
        Cli cli = new Cli(dir, server.address());
        InitKeys keys = cli.init();
        server.stop();

        // The file backend stores key "core/keyring" as folder "core" (suffix .d) holding the value file "keyring".
        Path keyring = dir.resolve("data").resolve("core.d").resolve("keyring");
        assertThat(keyring).isRegularFile();
        byte[] stored = Files.readAllBytes(keyring);
        stored[stored.length - 20] ^= 0x01;
        Files.write(keyring, stored);

        server = CofferProcess.start(dir, config, port);
        assertThat(cli.run("operator", "unseal", keys.key(1)).exitCode()).isZero();
        assertThat(cli.run("operator", "unseal", keys.key(2)).exitCode()).isZero();
        Result failed = cli.run("operator", "unseal", keys.key(3));

        assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
        assertThat(failed.stderr()).contains("Code: 500").contains("core/keyring").doesNotContain("\tat ");
        assertThat(server.isAlive()).isTrue();
        try (RawHttp http = new RawHttp(server.address())) {
            Response health = http.get("sys/health", null);
            assertThat(health.status()).as("%s", health).isEqualTo(503);
            assertThat(health.json().path("sealed").asBoolean()).isTrue();
        }
    }

    @Test
    void unterminatedStringInConfig_exitsOneNamingFileAndLine() {
        int port = CofferProcess.freePort();
        Path config = CofferProcess.write(dir.resolve("broken.hcl"), """
                storage "file" {
                  path = "%s"
                }
                listener "tcp" {
                  address = "127.0.0.1:%d
                  tls_disable = true
                }
                """.formatted(dir.resolve("data"), port));

        CofferProcess broken = CofferProcess.launch(dir, "http://127.0.0.1:" + port, List.of("server", "-config=" + config));
        server = broken;

        assertThat(broken.awaitExit(Duration.ofSeconds(60))).as("%s", broken.output()).isEqualTo(1);
        assertThat(broken.stderr()).contains("broken.hcl:5:").contains("unterminated string").doesNotContain("\tat ");
    }

    @Test
    void unknownConfigKey_isLoggedAsAWarningNamingTheKey_andTheServerStarts() {
        int port = CofferProcess.freePort();
        Path config = CofferProcess.writeConfig(dir, port, "shiny_new_option = true");

        server = CofferProcess.start(dir, config, port);

        assertThat(server.isAlive()).isTrue();
        assertThat(server.output()).containsPattern("WARN.*coffer\\.hcl:\\d+: unknown key \"[^\"]*shiny_new_option\" ignored");
    }

    private static void assertErrors(Response response, int status) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        JsonNode errors = response.json().path("errors");
        assertThat(errors.isArray()).as("errors array in %s", response).isTrue();
        assertThat(errors.size()).as("%s", response).isPositive();
        assertThat(errors.get(0).asText()).as("%s", response).isNotBlank().doesNotContain("Exception");
    }
}
