package dev.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {
    @TempDir
    Path home;

    @Test
    void emptyEnvironment_usesDefaults() {
        ClientConfig config = ClientConfig.fromEnvironment(Map.of(), home);

        assertThat(config.address()).isEqualTo("https://127.0.0.1:8200");
        assertThat(config.token()).isNull();
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.maxRetries()).isEqualTo(2);
        assertThat(config.skipVerify()).isFalse();
        assertThat(config.format()).isNull();
    }

    @Test
    void vaultVariable_winsOverCofferVariable() {
        ClientConfig config = ClientConfig.fromEnvironment(Map.of(
                "VAULT_ADDR", "http://vault:8200", "COFFER_ADDR", "http://coffer:8200",
                "VAULT_FORMAT", "json", "COFFER_FORMAT", "table"), home);

        assertThat(config.address()).isEqualTo("http://vault:8200");
        assertThat(config.format()).isEqualTo("json");
    }

    @Test
    void cofferVariable_usedWhenVaultVariableMissingOrBlank() {
        ClientConfig config = ClientConfig.fromEnvironment(Map.of(
                "VAULT_ADDR", " ", "COFFER_ADDR", "http://coffer:8200/", "COFFER_MAX_RETRIES", "0",
                "COFFER_CLIENT_TIMEOUT", "1m30s", "COFFER_SKIP_VERIFY", "1"), home);

        assertThat(config.address()).isEqualTo("http://coffer:8200");
        assertThat(config.maxRetries()).isZero();
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.skipVerify()).isTrue();
    }

    @Test
    void tokenFile_isReadAndTrimmedWhenNoTokenVariable() throws IOException {
        Files.writeString(home.resolve(".vault-token"), "  s.fromfile\n");

        assertThat(ClientConfig.fromEnvironment(Map.of(), home).token()).isEqualTo("s.fromfile");
    }

    @Test
    void tokenVariable_winsOverTokenFile() throws IOException {
        Files.writeString(home.resolve(".vault-token"), "s.fromfile");

        assertThat(ClientConfig.fromEnvironment(Map.of("COFFER_TOKEN", "s.coffer"), home).token()).isEqualTo("s.coffer");
        assertThat(ClientConfig.fromEnvironment(Map.of("VAULT_TOKEN", "s.vault", "COFFER_TOKEN", "s.coffer"), home)
                .token()).isEqualTo("s.vault");
    }

    @Test
    void emptyTokenFile_meansNoToken() throws IOException {
        Files.writeString(home.resolve(".vault-token"), "\n");

        assertThat(ClientConfig.fromEnvironment(Map.of(), home).token()).isNull();
    }

    @Test
    void toString_neverShowsTheToken() {
        ClientConfig config = ClientConfig.defaults().withToken("s.supersecret");

        assertThat(config.toString()).doesNotContain("supersecret").contains("<redacted>");
    }

    @Test
    void invalidSkipVerify_fails() {
        assertThatThrownBy(() -> ClientConfig.fromEnvironment(Map.of("VAULT_SKIP_VERIFY", "yes"), home))
                .isInstanceOf(ClientConfigException.class).hasMessageContaining("VAULT_SKIP_VERIFY");
    }

    @Test
    void invalidTimeoutAndRetries_fail() {
        assertThatThrownBy(() -> ClientConfig.fromEnvironment(Map.of("VAULT_CLIENT_TIMEOUT", "soon"), home))
                .isInstanceOf(ClientConfigException.class).hasMessageContaining("VAULT_CLIENT_TIMEOUT");
        assertThatThrownBy(() -> ClientConfig.fromEnvironment(Map.of("VAULT_MAX_RETRIES", "many"), home))
                .isInstanceOf(ClientConfigException.class).hasMessageContaining("VAULT_MAX_RETRIES");
    }

    @Test
    void withers_overrideOneSetting() {
        ClientConfig config = ClientConfig.fromEnvironment(Map.of("VAULT_ADDR", "http://env:1"), home)
                .withAddress("http://flag:2");

        assertThat(config.address()).isEqualTo("http://flag:2");
    }
}
