package dev.coffer.seal.transit;

import static dev.coffer.seal.SealFixtures.AAD;
import static dev.coffer.seal.SealFixtures.ROOT_KEY;
import static dev.coffer.seal.SealFixtures.withCiphertext;
import static dev.coffer.seal.SealFixtures.withKeyId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.KmsWrappers;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transit seal against a real second Coffer node with the transit engine. */
class TransitSealWrapperTest {

    private TransitNode node;
    private TransitSealWrapper wrapper;
    private String token;

    @BeforeEach
    void start() throws Exception {
        node = new TransitNode();
        node.createKey("unseal");
        token = node.sealToken("unseal", "1h", true);
    }

    @AfterEach
    void stop() {
        if (wrapper != null) {
            wrapper.close();
        }
        node.close();
    }

    private Map<String, String> stanza(String tokenToUse) {
        Map<String, String> m = new HashMap<>();
        m.put("address", node.url());
        m.put("token", tokenToUse);
        m.put("key_name", "unseal");
        m.put("mount_path", "transit/");
        m.put("disable_renewal", "true");
        return m;
    }

    private TransitSealWrapper wrapper(Map<String, String> stanza) throws SealException {
        return new TransitSealWrapperFactory(Map.of()).create(stanza);
    }

    @Test
    void roundTripAndKeyRotation() throws Exception {
        wrapper = wrapper(stanza(token));
        assertThat(wrapper.type()).isEqualTo("transit");
        assertThat(wrapper.keyId()).as("read at startup (the token cannot read the key: encrypt fallback)").isEqualTo("v1");

        BlobInfo v1 = wrapper.encrypt(ROOT_KEY, AAD);
        assertThat(v1.keyId()).isEqualTo("v1");
        assertThat(new String(v1.ciphertext(), StandardCharsets.US_ASCII)).startsWith("vault:v1:");
        assertThat(v1.ciphertext()).asString().doesNotContain(new String(ROOT_KEY, StandardCharsets.US_ASCII));
        assertThat(wrapper.decrypt(v1, AAD)).isEqualTo(ROOT_KEY);

        node.rotate("unseal");
        BlobInfo v2 = wrapper.encrypt(ROOT_KEY, AAD);
        assertThat(v2.keyId()).isEqualTo("v2");
        assertThat(wrapper.keyId()).isEqualTo("v2");
        assertThat(wrapper.decrypt(v1, AAD)).as("old blobs still decrypt").isEqualTo(ROOT_KEY);
        assertThat(wrapper.decrypt(v2, AAD)).isEqualTo(ROOT_KEY);
    }

    @Test
    void startupReadsTheLatestVersionWhenTheTokenMayReadTheKey() throws Exception {
        node.rotate("unseal");
        node.rotate("unseal");
        wrapper = wrapper(stanza(node.rootToken));
        assertThat(wrapper.keyId()).isEqualTo("v3");
    }

    @Test
    void healthCheckNoticesARotation() throws Exception {
        wrapper = wrapper(stanza(token));
        wrapper.healthCheck();
        node.rotate("unseal");
        assertThat(wrapper.keyId()).isEqualTo("v1");
        wrapper.healthCheck();
        assertThat(wrapper.keyId()).isEqualTo("v2");
    }

    @Test
    void keyIdPrefixIsRecordedAndChecked() throws Exception {
        Map<String, String> s = stanza(token);
        s.put("key_id_prefix", "transit-a/");
        wrapper = wrapper(s);
        BlobInfo blob = wrapper.encrypt(ROOT_KEY, AAD);
        assertThat(blob.keyId()).isEqualTo("transit-a/v1");
        assertThat(wrapper.keyId()).isEqualTo("transit-a/v1");
        assertThat(wrapper.decrypt(blob, AAD)).isEqualTo(ROOT_KEY);
    }

    @Test
    void aTokenWithoutThePolicyIsPermissionDeniedWithTheFix() throws Exception {
        String other = node.token("{\"policies\":[\"default\"],\"ttl\":\"1h\"}");
        wrapper = wrapper(stanza(other));
        assertThat(wrapper.keyId()).isEmpty();
        assertThatThrownBy(() -> wrapper.encrypt(ROOT_KEY, AAD))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED))
                .hasMessageContaining("the token needs update on transit/encrypt/unseal and transit/decrypt/unseal")
                .hasMessageNotContaining(other);
        assertThatThrownBy(wrapper::healthCheck).isInstanceOfSatisfying(SealException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED));
    }

    @Test
    void aSealedTransitNodeIsUnreachableAndSaysSo() throws Exception {
        wrapper = wrapper(stanza(token));
        BlobInfo blob = wrapper.encrypt(ROOT_KEY, AAD);
        node.seal();
        assertThatThrownBy(() -> wrapper.decrypt(blob, AAD))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
                .hasMessageContaining("the transit node is sealed");
        node.unseal();
        assertThat(wrapper.decrypt(blob, AAD)).isEqualTo(ROOT_KEY);
    }

    @Test
    void aStoppedTransitNodeIsUnreachableQuickly() throws Exception {
        wrapper = wrapper(stanza(token));
        BlobInfo blob = wrapper.encrypt(ROOT_KEY, AAD);
        node.stopListener();
        long start = System.nanoTime();
        assertThatThrownBy(() -> wrapper.decrypt(blob, AAD))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
                .hasMessageContaining("cannot reach the transit node at " + node.url());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
    }

    @Test
    void aTamperedCiphertextFailsIntegrity() throws Exception {
        wrapper = wrapper(stanza(token));
        BlobInfo blob = wrapper.encrypt(ROOT_KEY, AAD);
        byte[] ct = blob.ciphertext();
        int i = ct.length - 10;
        ct[i] = (byte) (ct[i] == 'A' ? 'B' : 'A');
        assertThatThrownBy(() -> wrapper.decrypt(withCiphertext(blob, ct), AAD))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INTEGRITY));
        assertThatThrownBy(() -> wrapper.decrypt(withKeyId(blob, "v7"), AAD))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INTEGRITY));
    }

    @Test
    void anotherAadFailsIntegrity() throws Exception {
        wrapper = wrapper(stanza(token));
        BlobInfo blob = wrapper.encrypt(ROOT_KEY, AAD);
        assertThatThrownBy(() -> wrapper.decrypt(blob, "core/recovery-key".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INTEGRITY))
                .hasMessageContaining("other associated data");
        assertThat(wrapper.decrypt(wrapper.encrypt(ROOT_KEY, new byte[0]), new byte[0])).isEqualTo(ROOT_KEY);
    }

    @Test
    void aMissingKeyIsKeyNotFound() throws Exception {
        Map<String, String> s = stanza(node.rootToken);
        s.put("key_name", "gone");
        wrapper = wrapper(s);
        assertThat(wrapper.keyId()).isEmpty();
        BlobInfo blob = new BlobInfo("transit", TransitSealWrapper.MECHANISM, "v1", null, null,
                "vault:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> wrapper.decrypt(blob, AAD))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_FOUND))
                .hasMessageContaining("'gone'");
    }

    @Test
    void theEnvironmentOverridesTheStanza() throws Exception {
        Map<String, String> s = stanza("not-a-token");
        s.put("address", "http://127.0.0.1:1");
        s.put("key_name", "wrong");
        s.put("mount_path", "elsewhere/");
        Map<String, String> env = Map.of("VAULT_ADDR", node.url(), "VAULT_TOKEN", token,
                "VAULT_TRANSIT_SEAL_KEY_NAME", "unseal", "VAULT_TRANSIT_SEAL_MOUNT_PATH", "/transit");
        wrapper = new TransitSealWrapperFactory(env).create(s);
        assertThat(wrapper.address()).isEqualTo(node.url());
        assertThat(wrapper.decrypt(wrapper.encrypt(ROOT_KEY, AAD), AAD)).isEqualTo(ROOT_KEY);
    }

    @Test
    void theTokenIsRenewedWhileRenewable() throws Exception {
        String shortLived = node.sealToken("unseal", "60s", true);
        Instant expiry = Instant.parse(node.lookup(shortLived).get("expire_time").asText());
        Map<String, String> s = stanza(shortLived);
        s.remove("disable_renewal");
        wrapper = new TransitSealWrapperFactory(Map.of(), Duration.ofMillis(300), Duration.ofMillis(300)).create(s);
        await().atMost(Duration.ofSeconds(10)).until(() -> wrapper.tokenRenewals() >= 2
                && Instant.parse(node.lookup(shortLived).get("expire_time").asText()).isAfter(expiry));
        assertThat(node.lookup(shortLived).get("ttl").asLong()).isGreaterThan(55);
    }

    @Test
    void disableRenewalLeavesTheTokenAlone() throws Exception {
        String shortLived = node.sealToken("unseal", "60s", true);
        wrapper = new TransitSealWrapperFactory(Map.of(), Duration.ofMillis(100), Duration.ofMillis(100))
                .create(stanza(shortLived));
        Thread.sleep(500);
        assertThat(wrapper.tokenRenewals()).isZero();
    }

    @Test
    void theServiceLoaderFindsTheTransitSeal() throws Exception {
        try (var w = KmsWrappers.create("transit", stanza(token))) {
            assertThat(w).isInstanceOf(TransitSealWrapper.class);
        }
    }
}
