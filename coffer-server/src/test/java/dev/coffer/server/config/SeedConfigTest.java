package dev.coffer.server.config;

import dev.coffer.hcl.ConfigException;
import dev.coffer.hcl.Origin;
import dev.coffer.hcl.HclParser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed article's configuration must load exactly as an operator copied it. */
class SeedConfigTest {

    /** The {@code seal "..." { ... }} stanzas of the seed text, cut out verbatim with their first line number. */
    private static List<String> sealStanzas() {
        List<String> stanzas = new ArrayList<>();
        StringBuilder current = null;
        for (String line : TestConfigs.resource("auto-unseal-azure-keyvault.txt").split("\n", -1)) {
            if (line.startsWith("seal \"")) {
                current = new StringBuilder();
            }
            if (current != null) {
                current.append(line).append('\n');
                if (line.strip().equals("}")) {
                    stanzas.add(current.toString());
                    current = null;
                }
            }
        }
        return stanzas;
    }

    private static ServerConfig loadStanza(String stanza) {
        return ServerConfigBuilder.build(List.of(HclParser.parse("seed.hcl", stanza)), true);
    }

    @Test
    void seedHasTwoSealStanzas() {
        assertThat(sealStanzas()).hasSize(2);
    }

    @Test
    void servicePrincipalStanza_loadsUnchanged() {
        SealConfig seal = loadStanza(sealStanzas().get(0)).activeSeal();
        assertThat(seal.type()).isEqualTo("azurekeyvault");
        assertThat(seal.disabled()).isFalse();
        assertThat(seal.params()).isEqualTo(Map.of("tenant_id", "<your-tenant-id>", "client_id", "<your-client-id>",
                "client_secret", "<your-client-secret>", "vault_name", "MyVaultUnsealKeyVault",
                "key_name", "VaultUnsealKey"));
        assertThat(seal.origin()).isEqualTo(new Origin("seed.hcl", 1));
        assertThat(seal.originOf("client_secret")).isEqualTo(new Origin("seed.hcl", 4));
    }

    @Test
    void managedIdentityStanza_loadsUnchanged() {
        SealConfig seal = loadStanza(sealStanzas().get(1)).activeSeal();
        assertThat(seal.type()).isEqualTo("azurekeyvault");
        assertThat(seal.params()).isEqualTo(Map.of("vault_name", "MyVaultUnsealKeyVault",
                "key_name", "VaultUnsealKey", "client_id", "CLIENT_ID_HERE"));
    }

    @Test
    void bothStanzasInOneFile_areTwoActiveSeals_andRejectedWithAHint() {
        String both = String.join("", sealStanzas());
        assertThatThrownBy(() -> loadStanza(both))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("seed.hcl:8: two active seals")
                .hasMessageContaining("disabled = \"true\"");
    }

    @Test
    void seedLikeVaultHcl_loadsCompletely() {
        ServerConfig c = TestConfigs.parseResource("seed-vault.hcl");
        assertThat(c.storage().type()).isEqualTo("postgresql");
        assertThat(c.storage().params()).containsEntry("connection_url",
                "postgres://vault:pw@db:5432/vault?sslmode=disable").containsEntry("ha_enabled", "true");
        assertThat(c.storage().origin()).isEqualTo(new Origin("seed-vault.hcl", 2));
        ListenerConfig l = c.listeners().get(0);
        assertThat(l).isEqualTo(new ListenerConfig("tcp", "0.0.0.0:8200", "0.0.0.0:8201", false,
                Path.of("/etc/vault.d/tls/vault.crt"), Path.of("/etc/vault.d/tls/vault.key"), "tls12", null,
                33_554_432L, Duration.ofSeconds(90)));
        assertThat(c.apiAddr()).isEqualTo("https://vault-1.example.internal:8200");
        assertThat(c.clusterAddr()).isEqualTo("https://vault-1.example.internal:8201");
        assertThat(c.ui()).isTrue();
        assertThat(c.activeSeal().type()).isEqualTo("azurekeyvault");
        assertThat(c.activeSeal().params()).hasSize(5);
        assertThat(c.haStorage()).isNull();
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.logFormat()).isEqualTo("standard");
        assertThat(c.defaultLeaseTtl()).isEqualTo(Duration.ofHours(768));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void seedLikeVaultJson_equalsTheHclForm() {
        ServerConfig hcl = TestConfigs.parseResource("seed-vault.hcl");
        ServerConfig json = TestConfigs.parseResource("seed-vault.json");
        assertThat(TestConfigs.withoutPositions(json)).isEqualTo(TestConfigs.withoutPositions(hcl));
        assertThat(json.storage().origin()).isEqualTo(new Origin("seed-vault.json", 3));
    }
}
