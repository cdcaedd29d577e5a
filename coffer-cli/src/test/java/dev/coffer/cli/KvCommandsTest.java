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

/** secrets, kv, read/write/list/delete against an in-process dev-mode server (KV v2 at secret/). */
class KvCommandsTest {
    @TempDir
    Path home;
    private Core core;
    private Listener listener;
    private CliRunner cli;

    @BeforeEach
    void start() {
        core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        String token = core.devInit("root").rootToken();
        listener = Listener.start(new ListenerConfig("tcp", "127.0.0.1:0", null, true, null, null, "tls12", null,
                1 << 20, Duration.ofSeconds(90)), core, "http://127.0.0.1:8200", null);
        cli = new CliRunner(home).env("VAULT_ADDR", listener.url()).env("VAULT_TOKEN", token);
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
    void kvPutGetField_onTheDevV2Mount() {
        assertThat(ok("kv", "put", "secret/app", "a=1", "b=two").out()).contains("Secret Path", "version", "1");
        assertThat(ok("kv", "get", "-field=a", "secret/app").out()).isEqualTo("1\n");
        CliRunner.Result table = ok("kv", "get", "secret/app");
        assertThat(table.out()).contains("= Metadata =", "= Data =", "b      two", "version            1");
        assertThat(ok("kv", "get", "-mount=secret", "-format=json", "app").out()).contains("\"b\" : \"two\"");
    }

    @Test
    void kvPatchVersionsCasDeleteUndeleteDestroy() {
        ok("kv", "put", "secret/app", "a=1");
        ok("kv", "patch", "secret/app", "b=2");
        assertThat(ok("kv", "get", "-field=b", "secret/app").out()).isEqualTo("2\n");
        assertThat(ok("kv", "get", "-version=1", "-format=json", "secret/app").out()).doesNotContain("\"b\"");
        CliRunner.Result cas = cli.run("kv", "put", "-cas=1", "secret/app", "a=3");
        assertThat(cas.exitCode()).isEqualTo(1);
        assertThat(cas.err()).contains("check-and-set parameter did not match the current version");

        ok("kv", "delete", "secret/app");
        assertThat(cli.run("kv", "get", "-field=a", "secret/app").exitCode()).isEqualTo(1);
        ok("kv", "undelete", "-versions=2", "secret/app");
        assertThat(ok("kv", "get", "-field=a", "secret/app").out()).isEqualTo("1\n");
        ok("kv", "destroy", "-versions=1,2", "secret/app");
        assertThat(ok("kv", "metadata", "get", "secret/app").out()).contains("= Version 2 =", "destroyed        true");
        ok("kv", "metadata", "put", "-max-versions=3", "-custom-metadata=owner=ops", "secret/app");
        assertThat(ok("kv", "metadata", "get", "-format=json", "secret/app").out()).contains("\"owner\" : \"ops\"");
        ok("kv", "metadata", "delete", "secret/app");
        assertThat(cli.run("kv", "metadata", "get", "secret/app").exitCode()).isEqualTo(1);
    }

    @Test
    void kvList_andV1MountsAreDetected() {
        ok("secrets", "enable", "-path=old", "-description=legacy", "kv");
        ok("kv", "put", "old/team/db", "password=p");
        assertThat(ok("kv", "get", "-field=password", "old/team/db").out()).isEqualTo("p\n");
        assertThat(ok("kv", "list", "old/").out()).isEqualTo("Keys\n----\nteam/\n");
        CliRunner.Result patch = cli.run("kv", "patch", "old/team/db", "x=1");
        assertThat(patch.err()).contains("needs a KV version 2 mount");

        ok("kv", "put", "secret/a/b", "x=1");
        assertThat(ok("kv", "list", "secret/a").out()).contains("b");
    }

    @Test
    void secretsEnableListTuneDisable() {
        ok("secrets", "enable", "-path=team", "-version=2", "-default-lease-ttl=1h", "kv");
        assertThat(ok("secrets", "list").out()).contains("team/", "secret/", "kv_");
        assertThat(ok("secrets", "list", "-detailed").out()).contains("3600s", "{\"version\":\"2\"}");
        ok("secrets", "tune", "-max-lease-ttl=2h", "team");
        assertThat(ok("read", "-field=max_lease_ttl", "sys/mounts/team/tune").out()).isEqualTo("7200\n");
        ok("secrets", "disable", "team");
        assertThat(ok("secrets", "list").out()).doesNotContain("team/");
        CliRunner.Result bad = cli.run("secrets", "enable", "nope");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown secrets engine type");
        assertThat(ok("auth", "list").exitCode()).isZero();
    }

    @Test
    void genericWriteReadListDelete_withFileAndStdin(@TempDir Path dir) throws Exception {
        ok("secrets", "enable", "-path=kv1", "kv");
        Path file = dir.resolve("pw.txt");
        Files.writeString(file, "from-file");
        ok("write", "kv1/app", "pw=@" + file, "user=u");
        assertThat(ok("read", "-field=pw", "kv1/app").out()).isEqualTo("from-file\n");
        cli.stdin("{\"k\": \"from-stdin\"}\n");
        ok("write", "kv1/json", "-");
        assertThat(ok("read", "-field=k", "kv1/json").out()).isEqualTo("from-stdin\n");
        assertThat(ok("list", "kv1/").out()).contains("app", "json");
        ok("delete", "kv1/app");
        assertThat(cli.run("read", "kv1/app").err()).contains("No value found at kv1/app");
        assertThat(cli.run("write", "kv1/x", "novalue").err()).contains("is not key=value");
    }
}
