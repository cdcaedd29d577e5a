package dev.coffer.server.config;

import dev.coffer.hcl.ConfigException;
import dev.coffer.hcl.Origin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void directory_isLoadedInLexicalOrder_andMerged() throws IOException {
        write("10-storage.hcl", "storage \"file\" { path = \"/d\" }\nlog_level = \"debug\"\nui = true\n");
        write("20-listeners.json", "{\"listener\": {\"tcp\": {\"tls_disable\": true}}, \"log_level\": \"warn\"}");
        write("30-more.hcl", "listener \"tcp\" {\n address = \"0.0.0.0:8300\"\n tls_disable = 1\n}\n"
                + "seal \"transit\" { key_name = \"k\" }\n");
        write("notes.txt", "not a config {{{");
        write("sub/ignored.hcl", "storage \"inmem\" {}");
        ServerConfig c = ConfigLoader.load(List.of(dir));
        assertThat(c.storage().type()).isEqualTo("file");
        assertThat(c.logLevel()).isEqualTo("warn");
        assertThat(c.ui()).isTrue();
        assertThat(c.listeners()).extracting(ListenerConfig::address)
                .containsExactly("127.0.0.1:8200", "0.0.0.0:8300");
        assertThat(c.activeSeal().origin()).isEqualTo(new Origin(dir.resolve("30-more.hcl").toString(), 5));
    }

    @Test
    void laterFiles_overrideEarlierScalars() throws IOException {
        Path a = write("a.hcl", "storage \"inmem\" {}\nlistener \"tcp\" { tls_disable = true }\napi_addr = \"http://a\"");
        Path b = write("b.hcl", "api_addr = \"http://b\"\ncluster_name = \"c\"");
        ServerConfig c = ConfigLoader.load(List.of(a, b));
        assertThat(c.apiAddr()).isEqualTo("http://b");
        assertThat(c.clusterName()).isEqualTo("c");
    }

    @Test
    void storageInTwoFiles_namesBothFiles() throws IOException {
        Path a = write("a.hcl", "storage \"inmem\" {}");
        Path b = write("b.hcl", "\nstorage \"file\" { path = \"/d\" }");
        assertThatThrownBy(() -> ConfigLoader.load(List.of(a, b))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(b + ":2: storage is defined twice (first at " + a + ":1)");
    }

    @Test
    void missingFile_isAClearError() {
        Path missing = dir.resolve("nope.hcl");
        assertThatThrownBy(() -> ConfigLoader.load(List.of(missing))).isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": configuration file not found; check the -config path");
    }

    @Test
    void syntaxErrorsInFiles_carryTheFilePath() throws IOException {
        Path bad = write("vault.hcl", "storage \"file\" {\n  path = \"/d\n}\n");
        assertThatThrownBy(() -> ConfigLoader.load(List.of(bad)))
                .hasMessageStartingWith(bad + ":2:10: unterminated string");
    }

    @Test
    void otherExtensions_areReadByContent() throws IOException {
        Path json = write("vault.conf", "  {\"storage\": {\"inmem\": {}}, \"listener\": {\"tcp\": {\"tls_disable\": 1}}}");
        Path hcl = write("vault.cfg", "storage \"inmem\" {}\nlistener \"tcp\" { tls_disable = 1 }");
        assertThat(ConfigLoader.load(List.of(json)).storage().type()).isEqualTo("inmem");
        assertThat(ConfigLoader.load(List.of(hcl)).storage().type()).isEqualTo("inmem");
    }

    @Test
    void devMode_needsNoStorageNorListener() throws IOException {
        assertThat(ConfigLoader.loadDev(List.of()).storage()).isNull();
        assertThat(ConfigLoader.loadDev(List.of()).warnings()).as("dev mode does not nag about mlock").isEmpty();
        Path ui = write("ui.hcl", "ui = true");
        assertThat(ConfigLoader.loadDev(List.of(ui)).ui()).isTrue();
    }

    @Test
    void invalidUtf8_isReported() throws IOException {
        Path bin = dir.resolve("bin.hcl");
        Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
        assertThatThrownBy(() -> ConfigLoader.load(List.of(bin))).hasMessageContaining("not valid UTF-8");
    }
}
