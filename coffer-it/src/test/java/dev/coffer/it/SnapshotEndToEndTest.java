package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.it.Cli.InitKeys;
import dev.coffer.it.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The seed's backup step with the real jar on file storage: save, write more, restore, the later write is gone. */
@Timeout(600)
class SnapshotEndToEndTest {

    @TempDir
    Path dir;

    private CofferProcess server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void raftSnapshotSaveThenRestore_onFileStorage_rollsBackLaterWrites() throws Exception {
        int port = CofferProcess.freePort();
        server = CofferProcess.start(dir, CofferProcess.writeConfig(dir, port, ""), port);
        Cli cli = new Cli(dir, server.address());
        InitKeys keys = cli.init();
        cli.unseal(keys, 1, 2, 3);
        Cli root = cli.withToken(keys.rootToken());
        ok(root.run("secrets", "enable", "-path=secret", "-version=2", "kv"));
        ok(root.run("kv", "put", "secret/app", "password=before"));

        Path snap = dir.resolve("vault_backup.snap");
        ok(root.run("operator", "raft", "snapshot", "save", snap.toString()));
        assertThat(Files.size(snap)).isPositive();
        Result inspect = ok(root.run("operator", "snapshot", "inspect", snap.toString()));
        assertThat(inspect.stdout()).contains("Storage Type", "file", "verified");

        ok(root.run("kv", "put", "secret/app", "password=after"));
        ok(root.run("kv", "put", "secret/later", "x=1"));
        ok(root.run("operator", "raft", "snapshot", "restore", snap.toString()));

        assertThat(ok(root.run("kv", "get", "-field=password", "secret/app")).stdout().strip()).isEqualTo("before");
        assertThat(root.run("kv", "get", "secret/later").exitCode()).isNotZero();
    }

    private static Result ok(Result r) {
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r;
    }
}
