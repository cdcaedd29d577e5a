package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** secrets, kv, read/write/list/delete against an in-process dev-mode server (KV v2 at secret/). */
class KvCommandsTest {
    @TempDir
    Path home;
    @RegisterExtension
    final DevServerCli server = new DevServerCli(() -> home);

    @Test
    void kvPutGetField_onTheDevV2Mount() {
        assertThat(server.ok("kv", "put", "secret/app", "a=1", "b=two").out()).contains("Secret Path", "version", "1");
        assertThat(server.ok("kv", "get", "-field=a", "secret/app").out()).isEqualTo("1\n");
        CliRunner.Result table = server.ok("kv", "get", "secret/app");
        assertThat(table.out()).contains("= Metadata =", "= Data =", "b      two", "version            1");
        assertThat(server.ok("kv", "get", "-mount=secret", "-format=json", "app").out()).contains("\"b\" : \"two\"");
    }

    @Test
    void kvPatchVersionsCasDeleteUndeleteDestroy() {
        server.ok("kv", "put", "secret/app", "a=1");
        server.ok("kv", "patch", "secret/app", "b=2");
        assertThat(server.ok("kv", "get", "-field=b", "secret/app").out()).isEqualTo("2\n");
        assertThat(server.ok("kv", "get", "-version=1", "-format=json", "secret/app").out()).doesNotContain("\"b\"");
        CliRunner.Result cas = server.cli().run("kv", "put", "-cas=1", "secret/app", "a=3");
        assertThat(cas.exitCode()).isEqualTo(1);
        assertThat(cas.err()).contains("check-and-set parameter did not match the current version");

        server.ok("kv", "delete", "secret/app");
        assertThat(server.cli().run("kv", "get", "-field=a", "secret/app").exitCode()).isEqualTo(1);
        server.ok("kv", "undelete", "-versions=2", "secret/app");
        assertThat(server.ok("kv", "get", "-field=a", "secret/app").out()).isEqualTo("1\n");
        server.ok("kv", "destroy", "-versions=1,2", "secret/app");
        assertThat(server.ok("kv", "metadata", "get", "secret/app").out())
                .contains("= Version 2 =", "destroyed        true");
        server.ok("kv", "metadata", "put", "-max-versions=3", "-custom-metadata=owner=ops", "secret/app");
        assertThat(server.ok("kv", "metadata", "get", "-format=json", "secret/app").out())
                .contains("\"owner\" : \"ops\"");
        server.ok("kv", "metadata", "delete", "secret/app");
        assertThat(server.cli().run("kv", "metadata", "get", "secret/app").exitCode()).isEqualTo(1);
    }

    @Test
    void kvList_andV1MountsAreDetected() {
        server.ok("secrets", "enable", "-path=old", "-description=legacy", "kv");
        server.ok("kv", "put", "old/team/db", "password=p");
        assertThat(server.ok("kv", "get", "-field=password", "old/team/db").out()).isEqualTo("p\n");
        assertThat(server.ok("kv", "list", "old/").out()).isEqualTo("Keys\n----\nteam/\n");
        CliRunner.Result patch = server.cli().run("kv", "patch", "old/team/db", "x=1");
        assertThat(patch.err()).contains("needs a KV version 2 mount");

        server.ok("kv", "put", "secret/a/b", "x=1");
        assertThat(server.ok("kv", "list", "secret/a").out()).contains("b");
    }

    @Test
    void secretsEnableListTuneDisable() {
        server.ok("secrets", "enable", "-path=team", "-version=2", "-default-lease-ttl=1h", "kv");
        assertThat(server.ok("secrets", "list").out()).contains("team/", "secret/", "kv_");
        assertThat(server.ok("secrets", "list", "-detailed").out()).contains("3600s", "{\"version\":\"2\"}");
        server.ok("secrets", "tune", "-max-lease-ttl=2h", "team");
        assertThat(server.ok("read", "-field=max_lease_ttl", "sys/mounts/team/tune").out()).isEqualTo("7200\n");
        server.ok("secrets", "disable", "team");
        assertThat(server.ok("secrets", "list").out()).doesNotContain("team/");
        CliRunner.Result bad = server.cli().run("secrets", "enable", "nope");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown secrets engine type");
        assertThat(server.ok("auth", "list").exitCode()).isZero();
    }

    @Test
    void genericWriteReadListDelete_withFileAndStdin(@TempDir Path dir) throws Exception {
        server.ok("secrets", "enable", "-path=kv1", "kv");
        Path file = dir.resolve("pw.txt");
        Files.writeString(file, "from-file");
        server.ok("write", "kv1/app", "pw=@" + file, "user=u");
        assertThat(server.ok("read", "-field=pw", "kv1/app").out()).isEqualTo("from-file\n");
        server.cli().stdin("{\"k\": \"from-stdin\"}\n");
        server.ok("write", "kv1/json", "-");
        assertThat(server.ok("read", "-field=k", "kv1/json").out()).isEqualTo("from-stdin\n");
        assertThat(server.ok("list", "kv1/").out()).contains("app", "json");
        server.ok("delete", "kv1/app");
        assertThat(server.cli().run("read", "kv1/app").err()).contains("No value found at kv1/app");
        assertThat(server.cli().run("write", "kv1/x", "novalue").err()).contains("is not key=value");
    }
}
