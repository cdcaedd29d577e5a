package dev.coffer.logical.transit;

import static dev.coffer.logical.transit.TransitHarness.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransitSigningTest {
    private final TransitHarness t = new TransitHarness();

    @AfterEach
    void close() {
        t.close();
    }

    private boolean verify(String key, String extra, String input, String field, String value) {
        return t.write("verify/" + key, "{\"input\":\"" + b64(input) + "\",\"" + field + "\":\"" + value + "\"" + extra + "}")
                .get("valid").asBoolean();
    }

    @Test
    void hmac_verifiesAndRejectsAChangedInput() {
        t.write("keys/k", null);
        String mac = t.write("hmac/k/sha2-512", "{\"input\":\"" + b64("msg") + "\"}").get("hmac").asText();
        assertThat(mac).startsWith("vault:v1:");
        assertThat(Base64.getDecoder().decode(mac.substring(9))).hasSize(64);
        assertThat(verify("k/sha2-512", "", "msg", "hmac", mac)).isTrue();
        assertThat(verify("k/sha2-512", "", "msg!", "hmac", mac)).isFalse();
        assertThat(verify("k", "", "msg", "hmac", mac)).as("different algorithm").isFalse();
        String sha3 = t.write("hmac/k", "{\"input\":\"" + b64("msg") + "\",\"algorithm\":\"sha3-256\"}").get("hmac").asText();
        assertThat(verify("k", ",\"algorithm\":\"sha3-256\"", "msg", "hmac", sha3)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "ed25519, ''",
        "ecdsa-p256, ''",
        "ecdsa-p384, ',\"marshaling_algorithm\":\"jws\"'",
        "ecdsa-p521, ',\"hash_algorithm\":\"sha2-512\"'",
        "rsa-2048, ''",
        "rsa-2048, ',\"signature_algorithm\":\"pkcs1v15\"'",
        "rsa-3072, ',\"signature_algorithm\":\"pss\",\"salt_length\":\"hash\"'",
    })
    void signThenVerify_acceptsTheInputAndRejectsAModifiedOne(String type, String extra) {
        t.write("keys/s", "{\"type\":\"" + type + "\"}");
        String sig = t.write("sign/s", "{\"input\":\"" + b64("payload") + "\"" + extra + "}").get("signature").asText();
        assertThat(sig).startsWith("vault:v1:");
        assertThat(verify("s", extra, "payload", "signature", sig)).isTrue();
        assertThat(verify("s", extra, "payloaD", "signature", sig)).isFalse();
    }

    @Test
    void ecdsaJwsSignatures_haveTheFixedLength() {
        t.write("keys/s", "{\"type\":\"ecdsa-p256\"}");
        String sig = t.write("sign/s", "{\"input\":\"" + b64("x") + "\",\"marshaling_algorithm\":\"jws\"}").get("signature").asText();
        assertThat(Base64.getDecoder().decode(sig.substring(9))).hasSize(64);
    }

    @Test
    void prehashedInput_signsTheGivenDigest() throws Exception {
        t.write("keys/r", "{\"type\":\"rsa-2048\"}");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("doc".getBytes());
        String in = Base64.getEncoder().encodeToString(digest);
        String body = "{\"input\":\"" + in + "\",\"prehashed\":true,\"signature_algorithm\":\"pkcs1v15\"}";
        String sig = t.write("sign/r", body).get("signature").asText();
        String plain = t.write("sign/r", "{\"input\":\"" + b64("doc") + "\",\"signature_algorithm\":\"pkcs1v15\"}")
                .get("signature").asText();
        assertThat(sig).as("PKCS#1 v1.5 is deterministic").isEqualTo(plain);
        assertThatThrownBy(() -> t.write("sign/r", "{\"input\":\"" + b64("short") + "\",\"prehashed\":true,"
                + "\"signature_algorithm\":\"pkcs1v15\"}")).hasMessageContaining("32 bytes");
    }

    @Test
    void signingWithASymmetricKey_isRefused() {
        t.write("keys/k", null);
        assertThatThrownBy(() -> t.write("sign/k", "{\"input\":\"" + b64("x") + "\"}"))
                .hasMessageContaining("does not support signing");
    }

    @Test
    void signaturesFromARotatedAwayVersion_stillVerifyUntilMinDecryptionVersionMoves() {
        t.write("keys/s", "{\"type\":\"ed25519\"}");
        String sig = t.write("sign/s", "{\"input\":\"" + b64("m") + "\"}").get("signature").asText();
        t.write("keys/s/rotate", null);
        assertThat(verify("s", "", "m", "signature", sig)).isTrue();
        t.write("keys/s/config", "{\"min_decryption_version\":2}");
        assertThatThrownBy(() -> verify("s", "", "m", "signature", sig)).hasMessageContaining("min_decryption_version");
    }

    @Test
    void hash_matchesKnownAnswers() {
        JsonNode sha256 = t.write("hash", "{\"input\":\"" + b64("abc") + "\"}");
        assertThat(sha256.get("sum").asText()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(t.write("hash/sha3-256", "{\"input\":\"" + b64("abc") + "\"}").get("sum").asText())
                .isEqualTo("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
        assertThat(t.write("hash", "{\"input\":\"" + b64("abc") + "\",\"algorithm\":\"sha2-512\",\"format\":\"base64\"}")
                .get("sum").asText()).startsWith("3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9");
        assertThatThrownBy(() -> t.write("hash/md5", "{\"input\":\"\"}")).hasMessageContaining("unsupported hash algorithm");
    }

    @Test
    void random_returnsTheRequestedNumberOfBytes() {
        assertThat(Base64.getDecoder().decode(t.write("random", null).get("random_bytes").asText())).hasSize(32);
        assertThat(t.write("random/64/hex", null).get("random_bytes").asText()).hasSize(128);
        assertThat(Base64.getDecoder().decode(t.write("random", "{\"bytes\":1}").get("random_bytes").asText())).hasSize(1);
        assertThatThrownBy(() -> t.write("random/0", null)).hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> t.write("random", "{\"format\":\"hexx\"}")).hasMessageContaining("hex");
    }
}
