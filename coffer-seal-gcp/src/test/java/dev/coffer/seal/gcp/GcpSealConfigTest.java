package dev.coffer.seal.gcp;

import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GcpSealConfigTest {

    @TempDir
    Path dir;

    private static Map<String, String> stanza() {
        return new HashMap<>(Map.of("project", "my-project", "key_ring", "ring", "crypto_key", "key"));
    }

    @Test
    void defaults_regionGlobal_publicEndpoint_applicationDefaultCredentials() throws Exception {
        GcpSealConfig config = GcpSealConfig.resolve(stanza(), Map.of());

        assertThat(config.region()).isEqualTo("global");
        assertThat(config.endpoint()).hasToString("https://cloudkms.googleapis.com");
        assertThat(config.credentials()).isEmpty();
        assertThat(config.cryptoKeyName()).isEqualTo("projects/my-project/locations/global/keyRings/ring/cryptoKeys/key");
    }

    @Test
    void environmentVariables_winOverTheStanza() throws Exception {
        Map<String, String> stanza = stanza();
        stanza.put("region", "us-east1");
        stanza.put("credentials", "/from/stanza.json");
        GcpSealConfig config = GcpSealConfig.resolve(stanza, Map.of("GOOGLE_PROJECT", "env-project",
                "GOOGLE_REGION", "europe-west1", "VAULT_GCPCKMS_SEAL_KEY_RING", "env-ring",
                "VAULT_GCPCKMS_SEAL_CRYPTO_KEY", "env-key", "GOOGLE_APPLICATION_CREDENTIALS", "/from/env.json"));

        assertThat(config.cryptoKeyName())
                .isEqualTo("projects/env-project/locations/europe-west1/keyRings/env-ring/cryptoKeys/env-key");
        assertThat(config.credentials()).isEqualTo("/from/env.json");
        assertThat(GcpSealConfig.resolve(stanza, Map.of("GOOGLE_CREDENTIALS", "{\"type\":\"x\"}",
                "GOOGLE_APPLICATION_CREDENTIALS", "/from/env.json")).credentials()).isEqualTo("{\"type\":\"x\"}");
    }

    @Test
    void missingCryptoKey_isConfigNamingTheEnvironmentVariable() {
        Map<String, String> stanza = stanza();
        stanza.remove("crypto_key");

        assertThatThrownBy(() -> GcpSealConfig.resolve(stanza, Map.of()))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFIG))
                .hasMessageContaining("crypto_key").hasMessageContaining("VAULT_GCPCKMS_SEAL_CRYPTO_KEY");
    }

    @Test
    void missingProjectOrKeyRing_isConfig() {
        for (String parameter : new String[] {"project", "key_ring"}) {
            Map<String, String> stanza = stanza();
            stanza.remove(parameter);
            assertThatThrownBy(() -> GcpSealConfig.resolve(stanza, Map.of())).as(parameter)
                    .hasMessageContaining(parameter.equals("project") ? "GOOGLE_PROJECT" : "VAULT_GCPCKMS_SEAL_KEY_RING");
        }
    }

    @Test
    void resourcePathInsteadOfName_orBadEndpoint_isConfig() {
        Map<String, String> path = stanza();
        path.put("crypto_key", "projects/p/locations/global/keyRings/r/cryptoKeys/k");
        Map<String, String> endpoint = stanza();
        endpoint.put("endpoint", "cloudkms.googleapis.com");

        assertThatThrownBy(() -> GcpSealConfig.resolve(path, Map.of())).hasMessageContaining("not a resource path");
        assertThatThrownBy(() -> GcpSealConfig.resolve(endpoint, Map.of())).hasMessageContaining("not a valid URL");
    }

    @Test
    void unreadableCredentialsFile_isConfig_andBrokenJsonDoesNotEchoIt() throws Exception {
        Map<String, String> stanza = stanza();
        stanza.put("credentials", dir.resolve("missing.json").toString());
        assertThatThrownBy(() -> new GcpCkmsWrapperFactory(Map.of()).create(stanza))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFIG))
                .hasMessageContaining("missing.json");

        stanza.put("credentials", "{\"type\":\"service_account\",\"private_key\":\"SECRET-MATERIAL\"}");
        assertThatThrownBy(() -> new GcpCkmsWrapperFactory(Map.of()).create(stanza))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFIG))
                .hasMessageNotContaining("SECRET-MATERIAL");
    }

    @Test
    void toString_neverShowsInlineCredentials() throws Exception {
        Map<String, String> stanza = stanza();
        stanza.put("credentials", "{\"private_key\":\"SECRET\"}");

        assertThat(GcpSealConfig.resolve(stanza, Map.of()).toString()).doesNotContain("SECRET").contains("inline JSON");
    }
}
