package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coffer.it.Cli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real server process with a file audit device: logrotate's rename + SIGHUP moves new entries to a new file. */
@Timeout(90)
class AuditSighupTest {
    private static final String ROOT = "e2e-audit-root";

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
    void sighupAfterRename_reopensTheAuditFile_andTokensNeverAppearInClear() throws Exception {
        int port = CofferProcess.freePort();
        String address = "http://127.0.0.1:" + port;
        server = CofferProcess.launch(dir, address, List.of("server", "-dev", "-dev-listen-address=127.0.0.1:" + port,
                "-dev-root-token-id=" + ROOT)).awaitHealth(null);
        Cli cli = new Cli(dir, address).withToken(ROOT);
        Path log = dir.resolve("audit.log");
        Path rotated = dir.resolve("audit.log.1");

        Result enabled = cli.run("audit", "enable", "file", "file_path=" + log);
        assertThat(enabled.exitCode()).as("%s", enabled).isZero();
        assertThat(cli.run("operator", "key-status").exitCode()).isZero();
        Result listed = cli.run("audit", "list", "-detailed");
        assertThat(listed.stdout()).contains("file/", "file_path=" + log);

        Files.move(log, rotated);
        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).inheritIO().start();
        assertThat(hup.waitFor()).isZero();
        await("audit file reopened").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(log));
        assertThat(cli.run("audit", "list").exitCode()).isZero();

        assertThat(read(rotated)).contains("sys/audit/file", "sys/key-status").doesNotContain(ROOT);
        assertThat(read(log)).contains("\"path\":\"sys/audit\"").doesNotContain("sys/key-status", ROOT);
        assertThat(server.isAlive()).isTrue();
        assertThat(server.output()).contains("SIGHUP received");
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
