package dev.coffer.logical.transit;

import static dev.coffer.logical.transit.TransitHarness.b64;
import static dev.coffer.logical.transit.TransitHarness.unb64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransitEncryptionTest {
    private final TransitHarness t = new TransitHarness();

    @AfterEach
    void close() {
        t.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes128-gcm96", "aes256-gcm96", "chacha20-poly1305", "rsa-2048"})
    void encryptDecrypt_roundTripsForEveryEncryptingType(String type) {
        t.write("keys/k", "{\"type\":\"" + type + "\"}");
        String ct = t.encrypt("k", "the quick brown fox");
        assertThat(ct).startsWith("vault:v1:");
        assertThat(t.decrypt("k", ct)).isEqualTo("the quick brown fox");
        assertThat(t.encrypt("k", "the quick brown fox")).as("random nonces").isNotEqualTo(ct);
    }

    @Test
    void flippingOneCiphertextByte_failsWith400AndNoDetail() {
        t.write("keys/k", null);
        String ct = t.encrypt("k", "secret");
        byte[] raw = Base64.getDecoder().decode(ct.substring("vault:v1:".length()));
        for (int i : new int[] {0, raw.length / 2, raw.length - 1}) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 1;
            String bad = "vault:v1:" + Base64.getEncoder().encodeToString(tampered);
            assertThatThrownBy(() -> t.decrypt("k", bad)).isInstanceOf(CofferException.BadRequest.class)
                    .hasMessage(Encryptor.AUTH_FAILED);
        }
    }

    @Test
    void malformedCiphertexts_areRejectedWithWhatToFix() {
        t.write("keys/k", null);
        assertThatThrownBy(() -> t.decrypt("k", "nope:v1:AAAA")).hasMessageContaining("must start with \"vault:v\"");
        assertThatThrownBy(() -> t.decrypt("k", "vault:vX:AAAA")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> t.decrypt("k", "vault:v1:***")).hasMessageContaining("base64");
        assertThatThrownBy(() -> t.decrypt("k", "vault:v1:AAAA")).hasMessageContaining("too short");
        assertThatThrownBy(() -> t.decrypt("k", "vault:v7:" + "A".repeat(40))).isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("no version 7");
    }

    @Test
    void afterRotation_oldCiphertextDecryptsAndRewrapMovesItToTheLatestVersion() {
        t.write("keys/k", null);
        String v1 = t.encrypt("k", "data");
        t.write("keys/k/rotate", null);
        t.write("keys/k/rotate", null);
        assertThat(t.encrypt("k", "data")).startsWith("vault:v3:");
        assertThat(t.decrypt("k", v1)).isEqualTo("data");
        JsonNode rewrapped = t.write("rewrap/k", "{\"ciphertext\":\"" + v1 + "\"}");
        assertThat(rewrapped.get("ciphertext").asText()).startsWith("vault:v3:");
        assertThat(rewrapped.get("key_version").asInt()).isEqualTo(3);
        assertThat(t.decrypt("k", rewrapped.get("ciphertext").asText())).isEqualTo("data");
        assertThat(t.write("encrypt/k", "{\"plaintext\":\"" + b64("x") + "\",\"key_version\":2}").get("ciphertext")
                .asText()).startsWith("vault:v2:");
        assertThatThrownBy(() -> t.write("encrypt/k", "{\"plaintext\":\"\",\"key_version\":4}"))
                .hasMessageContaining("no version 4");
    }

    @Test
    void minDecryptionVersion_refusesOlderCiphertexts() {
        t.write("keys/k", null);
        String v1 = t.encrypt("k", "old");
        t.write("keys/k/rotate", null);
        t.write("keys/k/config", "{\"min_decryption_version\":2}");
        assertThatThrownBy(() -> t.decrypt("k", v1)).isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("min_decryption_version 2");
        t.write("keys/k/config", "{\"min_decryption_version\":1}");
        assertThat(t.decrypt("k", v1)).isEqualTo("old");
    }

    @Test
    void derivedKeys_requireContextAndGiveDifferentCiphertextsPerContext() {
        t.write("keys/d", "{\"derived\":true}");
        assertThatThrownBy(() -> t.encrypt("d", "x")).hasMessageContaining("context");
        String a = t.write("encrypt/d", "{\"plaintext\":\"" + b64("x") + "\",\"context\":\"" + b64("tenant-a") + "\"}")
                .get("ciphertext").asText();
        JsonNode ok = t.write("decrypt/d", "{\"ciphertext\":\"" + a + "\",\"context\":\"" + b64("tenant-a") + "\"}");
        assertThat(unb64(ok.get("plaintext").asText())).isEqualTo("x");
        assertThatThrownBy(() -> t.write("decrypt/d", "{\"ciphertext\":\"" + a + "\",\"context\":\"" + b64("tenant-b")
                + "\"}")).hasMessage(Encryptor.AUTH_FAILED);
    }

    @Test
    void convergentEncryption_givesEqualCiphertextsForEqualPlaintextAndContext() {
        t.write("keys/c", "{\"derived\":true,\"convergent_encryption\":true}");
        String body = "{\"plaintext\":\"" + b64("same") + "\",\"context\":\"" + b64("ctx") + "\"}";
        String one = t.write("encrypt/c", body).get("ciphertext").asText();
        assertThat(t.write("encrypt/c", body).get("ciphertext").asText()).isEqualTo(one);
        assertThatThrownBy(() -> t.write("keys/bad", "{\"convergent_encryption\":true}"))
                .hasMessageContaining("requires derived");
    }

    @Test
    void batchWithOneBadItem_reportsItsErrorAndStillEncryptsTheOthers() {
        t.write("keys/k", null);
        LogicalResponse r = t.call(dev.coffer.logical.Operation.UPDATE, "encrypt/k", "{\"batch_input\":[{\"plaintext\":\""
                + b64("a") + "\",\"reference\":\"r1\"},{\"plaintext\":\"%%%\"},{\"plaintext\":\"" + b64("c") + "\"}]}");
        assertThat(r.status()).isEqualTo(400);
        JsonNode results = r.data().get("batch_results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("reference").asText()).isEqualTo("r1");
        assertThat(results.get(1).get("error").asText()).contains("base64");
        String third = results.get(2).get("ciphertext").asText();
        assertThat(t.decrypt("k", third)).isEqualTo("c");
        LogicalResponse partial = t.call(dev.coffer.logical.Operation.UPDATE, "decrypt/k", "{\"batch_input\":[{\"ciphertext\":\""
                + third + "\"},{\"ciphertext\":\"vault:v1:AAAA\"}],\"partial_failure_response_code\":207}");
        assertThat(partial.status()).isEqualTo(207);
        assertThat(unb64(partial.data().get("batch_results").get(0).get("plaintext").asText())).isEqualTo("c");
    }

    @Test
    void encryptingToAMissingKey_createsAnAes256Key() {
        String ct = t.encrypt("auto", "hello");
        assertThat(t.read("keys/auto").get("type").asText()).isEqualTo("aes256-gcm96");
        assertThat(t.decrypt("auto", ct)).isEqualTo("hello");
        assertThatThrownBy(() -> t.decrypt("missing", ct)).hasMessageContaining("not found");
    }

    @Test
    void datakey_plaintextReturnsTheKeyAndWrappedOnlyItsCiphertext() {
        t.write("keys/k", null);
        JsonNode plain = t.write("datakey/plaintext/k", "{\"bits\":512}");
        byte[] key = Base64.getDecoder().decode(plain.get("plaintext").asText());
        assertThat(key).hasSize(64);
        JsonNode back = t.write("decrypt/k", "{\"ciphertext\":\"" + plain.get("ciphertext").asText() + "\"}");
        assertThat(Base64.getDecoder().decode(back.get("plaintext").asText())).isEqualTo(key);
        JsonNode wrapped = t.write("datakey/wrapped/k", null);
        assertThat(wrapped.has("plaintext")).isFalse();
        assertThat(wrapped.get("ciphertext").asText()).startsWith("vault:v1:");
        assertThatThrownBy(() -> t.write("datakey/plaintext/k", "{\"bits\":100}")).hasMessageContaining("128, 256 or 512");
    }

    @Test
    void aThirtyTwoByteRootKey_roundTripsAsATransitSealWouldUseIt() {
        t.write("keys/autounseal", null);
        byte[] rootKey = new byte[32];
        new java.security.SecureRandom().nextBytes(rootKey);
        String ct = t.write("encrypt/autounseal", "{\"plaintext\":\"" + Base64.getEncoder().encodeToString(rootKey) + "\"}")
                .get("ciphertext").asText();
        String keyId = ct.substring(0, ct.indexOf(':', "vault:".length()));
        assertThat(keyId).isEqualTo("vault:v1");
        JsonNode back = t.write("decrypt/autounseal", "{\"ciphertext\":\"" + ct + "\"}");
        assertThat(Base64.getDecoder().decode(back.get("plaintext").asText())).isEqualTo(rootKey);
    }

    @Test
    void signingOnlyKeys_refuseToEncrypt() {
        t.write("keys/e", "{\"type\":\"ed25519\"}");
        assertThatThrownBy(() -> t.encrypt("e", "x")).hasMessageContaining("does not support encryption");
    }
}
