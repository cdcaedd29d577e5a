package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** audit enable, disable and list. */
class AuditCommandsTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String LISTED = """
            {"data":{"file/":{"type":"file","description":"main log","options":{"file_path":"/var/log/a.log"},
             "local":false,"path":"file/"},"stdout/":{"type":"file","description":"","options":{"file_path":"stdout"},
             "local":true,"path":"stdout/"}}}""";

    @TempDir
    Path home;
    @RegisterExtension
    final FakeVaultCli fake = FakeVaultCli.withToken(() -> home, "s.admin");

    @Test
    void enable_sendsTypeOptionsAndDescription() throws IOException {
        fake.vault().on("PUT /v1/sys/audit/main", 204, "");

        CliRunner.Result result = fake.cli().run("audit", "enable", "-path=main", "-description=main log", "file",
                "file_path=/var/log/coffer/audit.log", "log_raw=false");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("Success! Enabled the file audit device at: main/\n");
        JsonNode body = M.readTree(fake.vault().last("PUT /v1/sys/audit/main").body());
        assertThat(body.get("type").asText()).isEqualTo("file");
        assertThat(body.get("description").asText()).isEqualTo("main log");
        assertThat(body.at("/options/file_path").asText()).isEqualTo("/var/log/coffer/audit.log");
        assertThat(body.at("/options/log_raw").asText()).isEqualTo("false");
    }

    @Test
    void enable_defaultsThePathToTheType() {
        fake.vault().on("PUT /v1/sys/audit/file", 204, "");

        assertThat(fake.cli().run("audit", "enable", "file", "file_path=stdout").exitCode()).isZero();
        assertThat(fake.vault().calls()).containsExactly("PUT /v1/sys/audit/file");
    }

    @Test
    void enable_optionWithoutEquals_isAUsageError() {
        CliRunner.Result result = fake.cli().run("audit", "enable", "file", "file_path");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("KEY=VALUE");
        assertThat(fake.vault().calls()).isEmpty();
    }

    @Test
    void enable_serverRejection_showsItsMessage() {
        fake.vault().on("PUT /v1/sys/audit/file", 400, "{\"errors\":[\"cannot open audit file /nope/a.log\"]}");

        CliRunner.Result result = fake.cli().run("audit", "enable", "file", "file_path=/nope/a.log");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error enabling audit device:").contains("cannot open audit file");
    }

    @Test
    void disable_trimsSlashesAndConfirms() {
        fake.vault().on("DELETE /v1/sys/audit/file", 204, "");

        CliRunner.Result result = fake.cli().run("audit", "disable", "file/");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("Success! Disabled the audit device at: file/\n");
    }

    @Test
    void list_printsATable() {
        fake.vault().on("GET /v1/sys/audit", 200, LISTED);

        CliRunner.Result result = fake.cli().run("audit", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                Path       Type    Description
                ----       ----    -----------
                file/      file    main log
                stdout/    file    n/a
                """);
    }

    @Test
    void listDetailed_addsReplicationAndOptions() {
        fake.vault().on("GET /v1/sys/audit", 200, LISTED);

        CliRunner.Result result = fake.cli().run("audit", "list", "-detailed");

        assertThat(result.out()).contains("Replication", "replicated", "local", "{file_path=/var/log/a.log}");
    }

    @Test
    void listJson_isKeyedByPath() throws IOException {
        fake.vault().on("GET /v1/sys/audit", 200, LISTED);

        CliRunner.Result result = fake.cli().run("audit", "list", "-format=json");

        JsonNode out = M.readTree(result.out());
        assertThat(out.at("/file~1/options/file_path").asText()).isEqualTo("/var/log/a.log");
        assertThat(out.at("/stdout~1/local").asBoolean()).isTrue();
    }

    @Test
    void list_none() {
        fake.vault().on("GET /v1/sys/audit", 200, "{\"data\":{}}");

        assertThat(fake.cli().run("audit", "list").out()).isEqualTo("No audit devices are enabled.\n");
    }
}
