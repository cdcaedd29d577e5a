package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.ServerOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** server, version, completion and usage handling. */
class MiscCommandsTest {
    @TempDir
    Path home;

    @Test
    void server_passesVaultStyleFlagsToTheServer() {
        CliRunner cli = new CliRunner(home);

        CliRunner.Result result = cli.run("server", "-config=/etc/coffer/a.hcl", "-config", "/etc/coffer/conf.d",
                "-log-level=debug");

        assertThat(result.exitCode()).isZero();
        assertThat(cli.launched).containsExactly(new ServerOptions(
                List.of(Path.of("/etc/coffer/a.hcl"), Path.of("/etc/coffer/conf.d")), false, null, null, "debug"));
    }

    @Test
    void serverDev_acceptsDoubleDashSpellingsToo() {
        CliRunner cli = new CliRunner(home);

        cli.run("server", "-dev", "--dev-listen-address=127.0.0.1:8300", "-dev-root-token-id=root");

        assertThat(cli.launched).containsExactly(
                new ServerOptions(List.of(), true, "127.0.0.1:8300", "root", null));
    }

    @Test
    void serverWithoutConfigOrDev_isAUsageError() {
        CliRunner cli = new CliRunner(home);

        CliRunner.Result result = cli.run("server");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("pass -config=FILE_OR_DIR, or -dev");
        assertThat(cli.launched).isEmpty();
    }

    @Test
    void version_printsProductAndVersion() {
        CliRunner.Result result = new CliRunner(home).run("version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).matches("Coffer v0\\.1\\.0\\S* \\(Java \\d+, .+\\)\\n");
    }

    @Test
    void completion_printsABashScriptForTheWholeTree() {
        CliRunner.Result result = new CliRunner(home).run("completion");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("complete -F").contains("operator").contains("unseal");
    }

    @Test
    void unknownFlag_isAUsageErrorWithExitOne() {
        CliRunner.Result result = new CliRunner(home).run("status", "-bogus");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("-bogus").contains("Usage: coffer status");
    }

    @Test
    void help_isAvailableOnSubcommands() {
        CliRunner.Result result = new CliRunner(home).run("operator", "unseal", "-help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: coffer operator unseal").contains("-reset").contains("-address");
    }
}
