package dev.coffer.seal.transit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameters, defaults, environment overrides and configuration errors, without any network. */
class TransitSealConfigTest {
    private static final Map<String, String> MINIMAL = Map.of("address", "https://transit.example:8200/",
            "token", "hvs.secret", "key_name", "autounseal");

    @Test
    void defaults() throws Exception {
        TransitSealConfig c = TransitSealConfig.resolve(MINIMAL, Map.of());
        assertThat(c.address()).isEqualTo("https://transit.example:8200");
        assertThat(c.mountPath()).isEqualTo("transit/");
        assertThat(c.encryptPath()).isEqualTo("transit/encrypt/autounseal");
        assertThat(c.decryptPath()).isEqualTo("transit/decrypt/autounseal");
        assertThat(c.disableRenewal()).isFalse();
        assertThat(c.tlsSkipVerify()).isFalse();
        assertThat(c.keyIdPrefix()).isEmpty();
        assertThat(c.namespace()).isEmpty();
        assertThat(c.toString()).doesNotContain("hvs.secret");
    }

    @Test
    void environmentWins() throws Exception {
        TransitSealConfig c = TransitSealConfig.resolve(MINIMAL, Map.of("VAULT_TRANSIT_SEAL_KEY_NAME", "other",
                "VAULT_TRANSIT_SEAL_MOUNT_PATH", "/kms/transit/", "VAULT_ADDR", "http://127.0.0.1:8300",
                "VAULT_TOKEN", "hvs.env", "VAULT_NAMESPACE", "ns1/"));
        assertThat(c.keyName()).isEqualTo("other");
        assertThat(c.mountPath()).isEqualTo("kms/transit/");
        assertThat(c.address()).isEqualTo("http://127.0.0.1:8300");
        assertThat(c.token()).isEqualTo("hvs.env");
        assertThat(c.namespace()).isEqualTo("ns1/");
    }

    @Test
    void missingKeyNameNamesTheEnvironmentVariable() {
        assertThatThrownBy(() -> TransitSealConfig.resolve(Map.of("address", "https://t:8200", "token", "x"), Map.of()))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFIG))
                .hasMessageContaining("key_name").hasMessageContaining("VAULT_TRANSIT_SEAL_KEY_NAME");
        assertThatThrownBy(() -> new TransitSealWrapperFactory(Map.of()).create(Map.of("address", "https://t:8200", "token", "x")))
                .hasMessageContaining("VAULT_TRANSIT_SEAL_KEY_NAME");
    }

    @Test
    void missingAddressOrTokenNameTheirVariables() {
        assertThatThrownBy(() -> TransitSealConfig.resolve(Map.of("token", "x", "key_name", "k"), Map.of()))
                .hasMessageContaining("VAULT_ADDR");
        assertThatThrownBy(() -> TransitSealConfig.resolve(Map.of("address", "https://t", "key_name", "k"), Map.of()))
                .hasMessageContaining("VAULT_TOKEN");
    }

    @Test
    void badValuesAreConfigErrors() {
        assertThatThrownBy(() -> TransitSealConfig.resolve(with("address", "transit.example:8200"), Map.of()))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFIG));
        assertThatThrownBy(() -> TransitSealConfig.resolve(with("key_name", "a/b"), Map.of()))
                .hasMessageContaining("key_name");
        assertThatThrownBy(() -> TransitSealConfig.resolve(with("disable_renewal", "maybe"), Map.of()))
                .hasMessageContaining("disable_renewal");
        assertThatThrownBy(() -> TransitSealConfig.resolve(with("tls_ca_cert", "/nonexistent/ca.pem"), Map.of()))
                .hasMessageContaining("tls_ca_cert");
        assertThatThrownBy(() -> TransitSealConfig.resolve(with("tls_client_cert", "/nonexistent/c.pem"), Map.of()))
                .hasMessageContaining("tls_client_cert");
    }

    @Test
    void allParametersAreAccepted() throws Exception {
        Map<String, String> all = new java.util.HashMap<>(MINIMAL);
        all.putAll(Map.of("mount_path", "transit-a", "namespace", "team", "disable_renewal", "true",
                "tls_server_name", "transit.internal", "tls_skip_verify", "true", "key_id_prefix", "a-"));
        TransitSealConfig c = TransitSealConfig.resolve(all, Map.of());
        assertThat(c.mountPath()).isEqualTo("transit-a/");
        assertThat(c.disableRenewal()).isTrue();
        assertThat(c.tlsSkipVerify()).isTrue();
        assertThat(c.tlsServerName()).isEqualTo("transit.internal");
        assertThat(c.keyIdPrefix()).isEqualTo("a-");
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(MINIMAL);
        m.put(key, value);
        return m;
    }
}
