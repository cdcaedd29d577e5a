package dev.coffer.logical.transit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The text form and nonces of transit ciphertexts, which the per-item fast paths build by hand. */
class TransitEncodingTest {
    private final TransitHarness h = new TransitHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void versionedValue_isVaultPrefixVersionAndStandardBase64ForEverySize() {
        SecureRandom random = new SecureRandom();
        for (int version : new int[] {1, 9, 10, 123, Integer.MAX_VALUE}) {
            for (int size : new int[] {0, 1, 2, 3, 4, 1052, 70_000, 5}) {
                byte[] bytes = new byte[size];
                random.nextBytes(bytes);
                String expected = "vault:v" + version + ":" + Base64.getEncoder().encodeToString(bytes);
                assertThat(VersionedValue.encode(version, bytes)).isEqualTo(expected);
                VersionedValue parsed = VersionedValue.parse(expected, "ciphertext");
                assertThat(parsed.version()).isEqualTo(version);
                assertThat(parsed.bytes()).isEqualTo(bytes);
            }
        }
    }

    @Test
    void nonces_areFreshForEveryCallEvenBeyondTheExpectedCount() {
        Nonces nonces = new Nonces(new SecureRandom(), 3);
        Set<String> seen = new HashSet<>();
        byte[] out = new byte[Encryptor.NONCE_LEN + 4];
        for (int i = 0; i < 3 * Nonces.CHUNK + 7; i++) {
            nonces.next(out, 2);
            assertThat(out[0]).isZero();
            assertThat(out[1]).isZero();
            seen.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(out, 2, 2 + Encryptor.NONCE_LEN)));
        }
        assertThat(seen).hasSize(3 * Nonces.CHUNK + 7);
    }

    @Test
    void aBatchLargerThanOneNonceChunk_givesDistinctNoncesAndEveryItemDecrypts() {
        h.write("keys/k", "{}");
        int items = Nonces.CHUNK * 2 + 5;
        StringBuilder in = new StringBuilder("{\"batch_input\":[");
        for (int i = 0; i < items; i++) {
            in.append(i == 0 ? "" : ",").append("{\"plaintext\":\"").append(TransitHarness.b64("item " + i)).append("\"}");
        }
        JsonNode results = h.write("encrypt/k", in.append("]}").toString()).get("batch_results");
        assertThat(results).hasSize(items);
        Set<String> nonces = new HashSet<>();
        StringBuilder dec = new StringBuilder("{\"batch_input\":[");
        for (int i = 0; i < items; i++) {
            String ct = results.get(i).get("ciphertext").asText();
            assertThat(ct).startsWith("vault:v1:");
            byte[] raw = Base64.getDecoder().decode(ct.substring("vault:v1:".length()));
            assertThat(raw).hasSize(Encryptor.NONCE_LEN + ("item " + i).length() + Encryptor.TAG_LEN);
            nonces.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, Encryptor.NONCE_LEN)));
            dec.append(i == 0 ? "" : ",").append("{\"ciphertext\":\"").append(ct).append("\"}");
        }
        assertThat(nonces).hasSize(items);
        JsonNode plain = h.write("decrypt/k", dec.append("]}").toString()).get("batch_results");
        for (int i = 0; i < items; i++) {
            assertThat(TransitHarness.unb64(plain.get(i).get("plaintext").asText())).isEqualTo("item " + i);
        }
    }

    @Test
    void aDeletedKey_isGoneFromTheCacheAndEncryptingAgainMakesANewKey() {
        h.write("keys/k", null);
        String ct = h.encrypt("k", "cached");
        h.write("keys/k/rotate", null);
        assertThat(h.encrypt("k", "x")).startsWith("vault:v2:");
        h.write("keys/k/config", "{\"deletion_allowed\":true}");
        h.call(dev.coffer.logical.Operation.DELETE, "keys/k", null);
        assertThatThrownBy(() -> h.decrypt("k", ct)).isInstanceOf(dev.coffer.CofferException.BadRequest.class)
                .hasMessageContaining("not found");
        assertThat(h.encrypt("k", "again")).startsWith("vault:v1:");
        assertThatThrownBy(() -> h.decrypt("k", ct)).isInstanceOf(dev.coffer.CofferException.BadRequest.class);
    }

    @Test
    void sealBuffer_decodesBase64ExactlyAsTheJdkDecoderDoes() {
        SecureRandom random = new SecureRandom();
        java.util.List<String> inputs = new java.util.ArrayList<>(java.util.List.of("QQ=", "Q", "QQ=A", "@@@@", "QUJD=",
                "QUJD==", "====", "QQ==QQ==", "QUI", "QUI=", "QŁ==", "QUJDRA"));
        for (int size = 0; size < 40; size++) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            String padded = Base64.getEncoder().encodeToString(bytes);
            inputs.add(padded);
            inputs.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        }
        for (String in : inputs) {
            byte[] expected;
            try {
                expected = in.isEmpty() ? new byte[0] : Base64.getDecoder().decode(in);
            } catch (IllegalArgumentException e) {
                assertThatThrownBy(() -> SealBuffer.fromBase64(in, "plaintext")).as(in)
                        .isInstanceOf(dev.coffer.CofferException.BadRequest.class).hasMessageContaining("\"plaintext\" must be base64");
                continue;
            }
            SealBuffer b = SealBuffer.fromBase64(in, "plaintext");
            assertThat(b.plaintextCopy()).as(in).isEqualTo(expected);
            assertThat(b.buffer()).as(in).hasSize(Encryptor.NONCE_LEN + expected.length + Encryptor.TAG_LEN);
            assertThat(java.util.Arrays.copyOf(b.buffer(), Encryptor.NONCE_LEN)).as(in).containsOnly(0);
            b.wipe();
            assertThat(b.buffer()).containsOnly(0);
        }
    }

    @Test
    void unpaddedBase64Plaintext_roundTripsThroughEncryptAndDecrypt() {
        h.write("keys/k", "{}");
        for (String text : new String[] {"a", "ab", "abc", "abcd", ""}) {
            String unpadded = Base64.getEncoder().withoutPadding().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String ct = h.write("encrypt/k", "{\"plaintext\":\"" + unpadded + "\"}").get("ciphertext").asText();
            assertThat(h.write("decrypt/k", "{\"ciphertext\":\"" + ct + "\"}").get("plaintext").asText())
                    .isEqualTo(Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }
}
