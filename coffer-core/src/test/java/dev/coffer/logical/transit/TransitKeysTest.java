package dev.coffer.logical.transit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CofferException;
import dev.coffer.logical.Operation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransitKeysTest {
    private TransitHarness t = new TransitHarness();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void createAndRead_describesASymmetricKeyWithoutItsMaterial() {
        t.write("keys/app", null);
        JsonNode k = t.read("keys/app");
        assertThat(k.get("name").asText()).isEqualTo("app");
        assertThat(k.get("type").asText()).isEqualTo("aes256-gcm96");
        assertThat(k.get("latest_version").asInt()).isEqualTo(1);
        assertThat(k.get("min_decryption_version").asInt()).isEqualTo(1);
        assertThat(k.get("min_encryption_version").asInt()).isZero();
        assertThat(k.get("deletion_allowed").asBoolean()).isFalse();
        assertThat(k.get("supports_encryption").asBoolean()).isTrue();
        assertThat(k.get("supports_signing").asBoolean()).isFalse();
        assertThat(k.get("keys").get("1").isNumber()).isTrue();
        assertThat(k.toString()).doesNotContain("hmac_key").doesNotContain("\"key\"");
    }

    @Test
    void asymmetricKeys_showTheirPublicKeys() {
        t.write("keys/ed", "{\"type\":\"ed25519\"}");
        t.write("keys/ec", "{\"type\":\"ecdsa-p256\"}");
        assertThat(t.read("keys/ed").get("keys").get("1").get("public_key").asText()).hasSize(44);
        JsonNode ec = t.read("keys/ec").get("keys").get("1");
        assertThat(ec.get("public_key").asText()).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(ec.get("name").asText()).isEqualTo("P-256");
    }

    @Test
    void unknownTypeAndBadNames_areRejected() {
        assertThatThrownBy(() -> t.write("keys/x", "{\"type\":\"des\"}")).hasMessageContaining("unknown key type \"des\"")
                .hasMessageContaining("aes256-gcm96");
        assertThatThrownBy(() -> t.write("keys/ed", "{\"type\":\"ed25519\",\"derived\":true}"))
                .hasMessageContaining("does not support derivation");
        assertThatThrownBy(() -> t.read("keys/none")).isInstanceOf(CofferException.NotFound.class);
    }

    @Test
    void list_returnsKeyNames() {
        assertThatThrownBy(() -> t.call(Operation.LIST, "keys", null)).isInstanceOf(CofferException.NotFound.class);
        t.write("keys/b", null);
        t.write("keys/a", null);
        assertThat(t.call(Operation.LIST, "keys", null).data().get("keys").toString()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void delete_isRefusedUntilDeletionIsAllowed() {
        t.write("keys/k", null);
        assertThatThrownBy(() -> t.call(Operation.DELETE, "keys/k", null)).isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("deletion_allowed");
        t.write("keys/k/config", "{\"deletion_allowed\":true}");
        assertThat(t.call(Operation.DELETE, "keys/k", null).status()).isEqualTo(204);
        assertThatThrownBy(() -> t.read("keys/k")).isInstanceOf(CofferException.NotFound.class);
    }

    @Test
    void config_validatesVersionLimits() {
        t.write("keys/k", null);
        t.write("keys/k/rotate", null);
        assertThatThrownBy(() -> t.write("keys/k/config", "{\"min_decryption_version\":3}"))
                .hasMessageContaining("latest version 2");
        assertThatThrownBy(() -> t.write("keys/k/config", "{\"min_decryption_version\":2,\"min_encryption_version\":1}"))
                .hasMessageContaining("must not be below");
        assertThatThrownBy(() -> t.write("keys/k/config", "{\"auto_rotate_period\":\"10m\"}")).hasMessageContaining("1h");
        JsonNode k = t.write("keys/k/config", "{\"min_encryption_version\":2,\"auto_rotate_period\":\"24h\"}");
        assertThat(k.get("min_encryption_version").asInt()).isEqualTo(2);
        assertThat(k.get("auto_rotate_period").asLong()).isEqualTo(86400);
        t.write("keys/k/config", "{\"exportable\":true}");
        assertThatThrownBy(() -> t.write("keys/k/config", "{\"exportable\":false}")).hasMessageContaining("cannot be turned off");
    }

    @Test
    void trim_dropsOldVersionsForGood() {
        t.write("keys/k", null);
        String v1 = t.encrypt("k", "x");
        t.write("keys/k/rotate", null);
        assertThatThrownBy(() -> t.write("keys/k/trim", "{\"min_available_version\":2}"))
                .hasMessageContaining("raise min_decryption_version first");
        t.write("keys/k/config", "{\"min_decryption_version\":2}");
        JsonNode k = t.write("keys/k/trim", "{\"min_available_version\":2}");
        assertThat(k.get("min_available_version").asInt()).isEqualTo(2);
        assertThat(k.get("keys").has("1")).isFalse();
        assertThat(t.read("keys/k").get("keys").size()).isEqualTo(1);
        assertThatThrownBy(() -> t.decrypt("k", v1)).isInstanceOf(CofferException.BadRequest.class);
    }

    @Test
    void keysSurviveARestartOnTheSameStorage() {
        t.write("keys/k", null);
        t.write("keys/k/rotate", null);
        t.write("keys/sig", "{\"type\":\"ecdsa-p384\"}");
        String ct = t.encrypt("k", "persisted");
        String sig = t.write("sign/sig", "{\"input\":\"" + TransitHarness.b64("m") + "\"}").get("signature").asText();
        t = t.restart();
        assertThat(t.decrypt("k", ct)).isEqualTo("persisted");
        assertThat(t.read("keys/k").get("latest_version").asInt()).isEqualTo(2);
        assertThat(t.write("verify/sig", "{\"input\":\"" + TransitHarness.b64("m") + "\",\"signature\":\"" + sig + "\"}")
                .get("valid").asBoolean()).isTrue();
    }

    @Test
    void keyMaterialIsStoredEncrypted() {
        t.write("keys/k", null);
        String ct = t.encrypt("k", "needle");
        java.util.List<String> raw = new java.util.ArrayList<>();
        collect(t.storage, "", raw);
        assertThat(raw).isNotEmpty().noneMatch(v -> v.contains("aes256-gcm96") || v.contains("hmac_key"));
        assertThat(ct).doesNotContain("needle");
    }

    private static void collect(dev.coffer.storage.StorageBackend s, String prefix, java.util.List<String> out) {
        for (String child : s.list(prefix)) {
            if (child.endsWith("/")) {
                collect(s, prefix + child, out);
            } else {
                s.get(prefix + child).ifPresent(b -> out.add(new String(b, StandardCharsets.ISO_8859_1)));
            }
        }
    }

    @Test
    void operationsOnMissingEndpoints_sayWhatIsWrong() {
        assertThatThrownBy(() -> t.read("encrypt/k")).isInstanceOf(CofferException.UnsupportedOperation.class);
        assertThatThrownBy(() -> t.write("nothing/here", null)).isInstanceOf(CofferException.NotFound.class);
        assertThatThrownBy(() -> t.write("datakey/plaintext", null)).hasMessageContaining("needs a key name");
    }
}
