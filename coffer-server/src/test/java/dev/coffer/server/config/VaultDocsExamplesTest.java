package dev.coffer.server.config;

import dev.coffer.hcl.Origin;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configurations in the shape of Vault's documented examples (written for Coffer, not copied). */
class VaultDocsExamplesTest {

    @Test
    void fileStorage_tcpListener_awskms_andTopLevelSettings() {
        ServerConfig c = TestConfigs.parseResource("docs-file-awskms.hcl");
        assertThat(c.storage().type()).isEqualTo("file");
        assertThat(c.storage().params()).isEqualTo(Map.of("path", "/opt/coffer/data"));
        assertThat(c.listeners()).containsExactly(new ListenerConfig("tcp", "10.0.0.5:8200", null, false,
                Path.of("/etc/coffer/tls/server.pem"), Path.of("/etc/coffer/tls/server-key.pem"), "tls13",
                Path.of("/etc/coffer/tls/clients-ca.pem"), 1_048_576L, Duration.ofSeconds(150)));
        assertThat(c.activeSeal().type()).isEqualTo("awskms");
        assertThat(c.activeSeal().params()).containsEntry("kms_key_id", "alias/coffer-unseal")
                .containsEntry("region", "eu-west-1").hasSize(4);
        assertThat(c.defaultLeaseTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(c.maxLeaseTtl()).isEqualTo(Duration.ofHours(720));
        assertThat(c.logLevel()).isEqualTo("debug");
        assertThat(c.logFormat()).isEqualTo("json");
        assertThat(c.clusterName()).isEqualTo("coffer-eu");
        assertThat(c.telemetry()).isEqualTo(Map.of("statsite_address", "statsite.internal:8125",
                "disable_hostname", "true", "prefix_filter", "+coffer.token,-coffer.expire"));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void fileStorageExample_jsonForm_equalsHclForm() {
        assertThat(TestConfigs.withoutPositions(TestConfigs.parseResource("docs-file-awskms.json")))
                .isEqualTo(TestConfigs.withoutPositions(TestConfigs.parseResource("docs-file-awskms.hcl")));
    }

    @Test
    void gcpckmsSeal_withNumericTlsDisable() {
        ServerConfig c = TestConfigs.parseResource("docs-gcpckms.hcl");
        assertThat(c.listeners().get(0).tlsDisable()).isTrue();
        assertThat(c.listeners().get(0).tlsCertFile()).isNull();
        assertThat(c.activeSeal().type()).isEqualTo("gcpckms");
        assertThat(c.activeSeal().params()).isEqualTo(Map.of("credentials", "/etc/coffer/gcp-sa.json",
                "project", "coffer-prod", "region", "global", "key_ring", "coffer-keyring",
                "crypto_key", "coffer-unseal"));
    }

    @Test
    void transitSeal_passesEveryParameterAsString() {
        ServerConfig c = TestConfigs.parseResource("docs-transit.hcl");
        SealConfig seal = c.activeSeal();
        assertThat(seal.type()).isEqualTo("transit");
        assertThat(seal.params()).hasSize(11).containsEntry("disable_renewal", "false")
                .containsEntry("mount_path", "transit/").containsEntry("tls_skip_verify", "false");
        assertThat(seal.originOf("key_name")).isEqualTo(new Origin("docs-transit.hcl", 12));
        assertThat(c.listeners().get(0).tlsDisable()).isTrue();
    }

    @Test
    void jsonListenerForms_listAndObject_areEquivalent() {
        String asList = "{\"storage\":{\"inmem\":{}},\"listener\":[{\"tcp\":{\"tls_disable\":true}},"
                + "{\"tcp\":{\"address\":\"0.0.0.0:8300\",\"tls_disable\":\"1\"}}]}";
        String asObject = "{\"storage\":{\"inmem\":{}},\"listener\":{\"tcp\":[{\"tls_disable\":true},"
                + "{\"address\":\"0.0.0.0:8300\",\"tls_disable\":\"1\"}]}}";
        ServerConfig a = ConfigLoader.parse("a.json", asList);
        ServerConfig b = ConfigLoader.parse("b.json", asObject);
        assertThat(a.listeners()).hasSize(2).isEqualTo(b.listeners());
        assertThat(a.listeners().get(0).address()).isEqualTo(ListenerConfig.DEFAULT_ADDRESS);
    }
}
