package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.logical.BackendFactory;
import dev.coffer.server.http.TestServer.Res;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The transit engine over real HTTP: Vault's paths, verbs, envelope and status codes. */
class TransitHttpTest {
    @RegisterExtension
    final TestServerExtension fixture = TestServerExtension.dev(1 << 20);

    @BeforeEach
    void mountTransit() {
        fixture.server().core().mounts()
                .mount(BackendFactory.Kind.SECRET, "transit/", "transit", "", Map.of(), Map.of());
    }

    private Res call(String method, String path, String body) {
        return fixture.server().call(method, "transit/" + path, body);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keyLifecycleAndEncryptDecrypt_overHttp() throws Exception {
        assertThat(call("POST", "keys/orders", "{\"type\":\"chacha20-poly1305\"}").status()).isEqualTo(200);
        Res read = call("GET", "keys/orders", null);
        assertThat(read.body().get("data").get("type").asText()).isEqualTo("chacha20-poly1305");
        assertThat(call("LIST", "keys", null).body().get("data").get("keys").get(0).asText()).isEqualTo("orders");
        assertThat(call("GET", "keys?list=true", null).status()).isEqualTo(200);

        Res enc = call("POST", "encrypt/orders", "{\"plaintext\":\"" + b64("4111-1111") + "\"}");
        assertThat(enc.status()).isEqualTo(200);
        String ct = enc.body().get("data").get("ciphertext").asText();
        assertThat(ct).startsWith("vault:v1:");
        Res dec = call("PUT", "decrypt/orders", "{\"ciphertext\":\"" + ct + "\"}");
        assertThat(dec.body().get("data").get("plaintext").asText()).isEqualTo(b64("4111-1111"));

        Res delete = call("DELETE", "keys/orders", null);
        assertThat(delete.status()).isEqualTo(400);
        assertThat(delete.body().get("errors").get(0).asText()).contains("deletion_allowed");
        call("POST", "keys/orders/config", "{\"deletion_allowed\":true}");
        assertThat(call("DELETE", "keys/orders", null).status()).isEqualTo(204);
        assertThat(call("GET", "keys/orders", null).status()).isEqualTo(404);
    }

    @Test
    void tamperedCiphertext_is400WithoutDetail() throws Exception {
        String ct = call("POST", "encrypt/upserted", "{\"plaintext\":\"" + b64("x") + "\"}").body().get("data")
                .get("ciphertext").asText();
        char last = ct.charAt(ct.length() - 3);
        String tampered = ct.substring(0, ct.length() - 3) + (last == 'A' ? 'B' : 'A') + ct.substring(ct.length() - 2);
        Res r = call("POST", "decrypt/upserted", "{\"ciphertext\":\"" + tampered + "\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("errors").toString()).isEqualTo("[\"cipher: message authentication failed\"]");
    }

    @Test
    void batchWithABadItem_is400AndCarriesPerItemResults() throws Exception {
        call("POST", "keys/b", null);
        Res r = call("POST", "encrypt/b", "{\"batch_input\":[{\"plaintext\":\"" + b64("ok") + "\"},{\"plaintext\":\"!\"}]}");
        assertThat(r.status()).isEqualTo(400);
        JsonNode results = r.body().get("data").get("batch_results");
        assertThat(results.get(0).get("ciphertext").asText()).startsWith("vault:v1:");
        assertThat(results.get(1).get("error").asText()).contains("base64");
    }

    @Test
    void signVerifyHashAndRandom_overHttp() throws Exception {
        call("POST", "keys/signer", "{\"type\":\"ecdsa-p256\"}");
        String sig = call("POST", "sign/signer/sha2-384", "{\"input\":\"" + b64("m") + "\"}").body().get("data")
                .get("signature").asText();
        Res v = call("POST", "verify/signer/sha2-384", "{\"input\":\"" + b64("m") + "\",\"signature\":\"" + sig + "\"}");
        assertThat(v.body().get("data").get("valid").asBoolean()).isTrue();
        Res h = call("POST", "hash/sha2-256", "{\"input\":\"" + b64("abc") + "\"}");
        assertThat(h.body().get("data").get("sum").asText()).startsWith("ba7816bf");
        assertThat(call("POST", "random/16", "{\"format\":\"hex\"}").body().get("data").get("random_bytes").asText())
                .hasSize(32);
        assertThat(call("GET", "encrypt/signer", null).status()).isEqualTo(405);
    }
}
