package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.vault.VaultException;
import org.springframework.vault.authentication.SimpleSessionManager;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultKeyValueMetadataOperations;
import org.springframework.vault.core.VaultKeyValueOperations;
import org.springframework.vault.core.VaultKeyValueOperationsSupport.KeyValueBackend;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.core.VaultTransitOperations;
import org.springframework.vault.core.VaultVersionedKeyValueOperations;
import org.springframework.vault.support.Ciphertext;
import org.springframework.vault.support.Hmac;
import org.springframework.vault.support.Plaintext;
import org.springframework.vault.support.Policy;
import org.springframework.vault.support.Policy.BuiltinCapabilities;
import org.springframework.vault.support.Signature;
import org.springframework.vault.support.VaultHealth;
import org.springframework.vault.support.VaultMetadataRequest;
import org.springframework.vault.support.VaultMetadataResponse;
import org.springframework.vault.support.VaultMount;
import org.springframework.vault.support.VaultResponse;
import org.springframework.vault.support.VaultSignRequest;
import org.springframework.vault.support.VaultSignatureVerificationRequest;
import org.springframework.vault.support.VaultToken;
import org.springframework.vault.support.VaultTokenRequest;
import org.springframework.vault.support.VaultTokenResponse;
import org.springframework.vault.support.VaultTransitContext;
import org.springframework.vault.support.VaultTransitKey;
import org.springframework.vault.support.VaultTransitKeyConfiguration;
import org.springframework.vault.support.VaultTransitKeyCreationRequest;
import org.springframework.vault.support.VaultUnsealStatus;
import org.springframework.vault.support.Versioned;
import org.springframework.vault.support.Versioned.Version;

/**
 * Drives a real {@code coffer server -dev} process with Spring Vault's {@link VaultTemplate}, an unmodified third-party
 * Vault client: every response must deserialize into Spring Vault's types and carry the values Vault would send.
 * One server serves the whole class; each test uses its own paths and mounts.
 */
@Timeout(120)
class SpringVaultCompatibilityTest {

    private static final String ROOT = "spring-root";

    @TempDir
    static Path dir;
    private static CofferProcess server;
    private static VaultTemplate vault;

    @BeforeAll
    static void startDevServer() {
        int port = CofferProcess.freePort();
        String address = "http://127.0.0.1:" + port;
        server = CofferProcess.launch(dir, address, List.of("server", "-dev",
                "-dev-listen-address=127.0.0.1:" + port, "-dev-root-token-id=" + ROOT)).awaitHealth(null);
        vault = template(ROOT);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A template authenticated with {@code token}; the JDK client so PATCH and every method Vault uses work. */
    private static VaultTemplate template(String token) {
        VaultEndpoint endpoint = VaultEndpoint.from(URI.create(server.address()));
        return new VaultTemplate(endpoint, new JdkClientHttpRequestFactory(),
                new SimpleSessionManager(new TokenAuthentication(token)));
    }

    @Test
    void sys_healthAndSealStatus() {
        VaultHealth health = vault.opsForSys().health();
        assertThat(health.isInitialized()).isTrue();
        assertThat(health.isSealed()).isFalse();
        assertThat(health.isStandby()).isFalse();
        assertThat(health.isPerformanceStandby()).isFalse();
        assertThat(health.getServerTimeUtc()).isPositive();
        assertThat(health.getVersion()).isNotBlank();

        assertThat(vault.opsForSys().isInitialized()).isTrue();

        VaultUnsealStatus status = vault.opsForSys().getUnsealStatus();
        assertThat(status.isSealed()).isFalse();
        assertThat(status.getSecretShares()).isEqualTo(1);
        assertThat(status.getSecretThreshold()).isEqualTo(1);
        assertThat(status.getProgress()).isZero();
    }

    @Test
    void kvV2_versionsDeleteUndeleteDestroyAndList() {
        VaultVersionedKeyValueOperations kv = vault.opsForVersionedKeyValue("secret");

        Versioned.Metadata first = kv.put("spring/app", Map.of("user", "alice", "pass", "s3cret"));
        assertThat(first.getVersion()).isEqualTo(Version.from(1));
        assertThat(first.getCreatedAt()).isNotNull();
        assertThat(first.isDeleted()).isFalse();
        assertThat(first.isDestroyed()).isFalse();

        Versioned<Map<String, Object>> read = kv.get("spring/app");
        assertThat(read).isNotNull();
        assertThat(read.getRequiredData()).containsEntry("user", "alice").containsEntry("pass", "s3cret");
        assertThat(read.getVersion()).isEqualTo(Version.from(1));
        assertThat(read.getRequiredMetadata().getCreatedAt()).isEqualTo(first.getCreatedAt());

        Versioned.Metadata second = kv.put("spring/app", Map.of("user", "bob"));
        assertThat(second.getVersion()).isEqualTo(Version.from(2));
        assertThat(kv.get("spring/app").getRequiredData()).containsExactly(Map.entry("user", "bob"));

        Versioned<Map<String, Object>> v1 = kv.get("spring/app", Version.from(1));
        assertThat(v1.getVersion()).isEqualTo(Version.from(1));
        assertThat(v1.getRequiredData()).containsEntry("user", "alice");

        // typed read through Spring Vault's object mapping
        Versioned<Creds> typed = kv.get("spring/app", Version.from(1), Creds.class);
        assertThat(typed.getRequiredData()).isEqualTo(new Creds("alice", "s3cret"));

        // soft delete of the latest version: Spring Vault reads the 404 body with metadata
        kv.delete("spring/app");
        Versioned<Map<String, Object>> deleted = kv.get("spring/app");
        assertThat(deleted).isNotNull();
        assertThat(deleted.hasData()).isFalse();
        assertThat(deleted.getRequiredMetadata().isDeleted()).isTrue();
        assertThat(deleted.getRequiredMetadata().getDeletedAt()).isNotNull();
        assertThat(deleted.getVersion()).isEqualTo(Version.from(2));

        kv.undelete("spring/app", Version.from(2));
        assertThat(kv.get("spring/app").getRequiredData()).containsEntry("user", "bob");

        kv.destroy("spring/app", Version.from(1));
        Versioned<Map<String, Object>> destroyed = kv.get("spring/app", Version.from(1));
        assertThat(destroyed).isNotNull();
        assertThat(destroyed.hasData()).isFalse();
        assertThat(destroyed.getRequiredMetadata().isDestroyed()).isTrue();

        kv.put("spring/other", Map.of("k", "v"));
        kv.put("spring/nested/deep", Map.of("k", "v"));
        assertThat(kv.list("spring/")).containsExactlyInAnyOrder("app", "other", "nested/");

        assertThat(kv.get("spring/never-written")).isNull();
    }

    record Creds(String user, String pass) {
    }

    @Test
    void kvV2_metadataOperations() {
        VaultVersionedKeyValueOperations kv = vault.opsForVersionedKeyValue("secret");
        VaultKeyValueMetadataOperations metadata = kv.opsForKeyValueMetadata();

        kv.put("meta/app", Map.of("a", "1"));
        kv.put("meta/app", Map.of("a", "2"));

        metadata.put("meta/app", VaultMetadataRequest.builder().maxVersions(5).casRequired(true)
                .deleteVersionAfter(Duration.ofHours(1)).customMetadata(Map.of("owner", "team-a")).build());

        VaultMetadataResponse response = metadata.get("meta/app");
        assertThat(response.getMaxVersions()).isEqualTo(5);
        assertThat(response.isCasRequired()).isTrue();
        assertThat(response.getDeleteVersionAfter()).isEqualTo(Duration.ofHours(1));
        // Spring Vault 4.0.4 sends custom_metadata but its VaultMetadataResponse mapping (KeyValueUtilities.fromMap)
        // never reads it back, against Vault too; check what the server stored through a raw read and the
        // per-version metadata of a data read, which Spring Vault does map.
        assertThat(response.getCustomMetadata()).isEmpty();
        VaultResponse raw = vault.read("secret/metadata/meta/app");
        assertThat(raw.getRequiredData().get("custom_metadata")).isEqualTo(Map.of("owner", "team-a"));
        assertThat(kv.get("meta/app").getRequiredMetadata().getCustomMetadata()).containsExactly(Map.entry("owner", "team-a"));
        assertThat(response.getCurrentVersion()).isEqualTo(2);
        assertThat(response.getOldestVersion()).isEqualTo(1);
        assertThat(response.getCreatedTime()).isNotNull();
        assertThat(response.getUpdatedTime()).isNotNull();
        assertThat(response.getVersions()).hasSize(2);
        assertThat(response.getVersions()).extracting(Versioned.Metadata::getVersion)
                .containsExactlyInAnyOrder(Version.from(1), Version.from(2));

        // cas_required is enforced: Spring Vault's put sends no cas, so the write must be refused with a 400
        assertThatThrownBy(() -> kv.put("meta/app", Map.of("a", "3")))
                .isInstanceOf(VaultException.class).hasMessageContaining("400")
                .hasMessageContaining("check-and-set parameter required");

        metadata.delete("meta/app");
        assertThat(kv.get("meta/app")).isNull();
    }

    @Test
    void kvV2_throughTheUnversionedKeyValueApi_includingPatch() {
        VaultKeyValueOperations kv = vault.opsForKeyValue("secret", KeyValueBackend.KV_2);
        kv.put("flat/app", Map.of("a", "1", "b", "2"));
        assertThat(kv.get("flat/app").getRequiredData()).containsEntry("a", "1").containsEntry("b", "2");

        // Spring Vault's patch reads the secret, merges and writes back with cas = the version it read
        assertThat(kv.patch("flat/app", Map.of("b", "3", "c", "4"))).isTrue();
        assertThat(kv.get("flat/app").getRequiredData()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "3", "c", "4"));
        assertThat(vault.opsForVersionedKeyValue("secret").get("flat/app").getVersion()).isEqualTo(Version.from(2));

        assertThat(kv.list("flat/")).containsExactly("app");
        kv.delete("flat/app");
        assertThat(kv.get("flat/app")).isNull();
    }

    @Test
    void kvV1_mountedThroughSysMounts() {
        vault.opsForSys().mount("kv1", VaultMount.builder().type("kv").description("spring kv v1")
                .options(Map.of("version", "1")).build());
        assertThat(vault.opsForSys().getMounts()).containsKey("kv1/");

        VaultKeyValueOperations kv = vault.opsForKeyValue("kv1", KeyValueBackend.KV_1);
        kv.put("app/config", Map.of("url", "jdbc:x", "pool", 5));
        VaultResponse read = kv.get("app/config");
        assertThat(read).isNotNull();
        assertThat(read.getRequiredData()).containsEntry("url", "jdbc:x").containsEntry("pool", 5);
        assertThat(read.getLeaseDuration()).isPositive();

        kv.put("app/other", Map.of("x", "y"));
        assertThat(kv.list("app/")).containsExactlyInAnyOrder("config", "other");

        kv.delete("app/config");
        assertThat(kv.get("app/config")).isNull();
    }

    @Test
    void transit_encryptDecryptRewrapDerivedSignVerifyHmac() {
        vault.opsForSys().mount("transit", VaultMount.create("transit"));
        VaultTransitOperations transit = vault.opsForTransit();

        transit.createKey("orders");
        assertThat(transit.getKeys()).contains("orders");
        VaultTransitKey key = transit.getKey("orders");
        assertThat(key.getName()).isEqualTo("orders");
        assertThat(key.getType()).isEqualTo("aes256-gcm96");
        assertThat(key.getLatestVersion()).isEqualTo(1);
        assertThat(key.supportsEncryption()).isTrue();
        assertThat(key.supportsDecryption()).isTrue();
        assertThat(key.supportsSigning()).isFalse();
        assertThat(key.isDerived()).isFalse();

        String ciphertext = transit.encrypt("orders", "hello spring");
        assertThat(ciphertext).startsWith("vault:v1:");
        assertThat(transit.decrypt("orders", ciphertext)).isEqualTo("hello spring");

        byte[] binary = {0, 1, 2, (byte) 0xff, 42};
        Ciphertext binaryCipher = transit.encrypt("orders", Plaintext.of(binary));
        assertThat(transit.decrypt("orders", binaryCipher).getPlaintext()).isEqualTo(binary);

        List<Plaintext> batch = List.of(Plaintext.of("one"), Plaintext.of("two"));
        List<Ciphertext> encrypted = transit.encrypt("orders", batch).stream().map(r -> r.get()).toList();
        assertThat(transit.decrypt("orders", encrypted)).extracting(r -> r.get().asString())
                .containsExactly("one", "two");

        transit.rotate("orders");
        assertThat(transit.getKey("orders").getLatestVersion()).isEqualTo(2);
        String rewrapped = transit.rewrap("orders", ciphertext);
        assertThat(rewrapped).startsWith("vault:v2:");
        assertThat(transit.decrypt("orders", rewrapped)).isEqualTo("hello spring");

        // derived key: the context picks the key
        transit.createKey("tenants", VaultTransitKeyCreationRequest.builder().derived(true).build());
        assertThat(transit.getKey("tenants").isDerived()).isTrue();
        VaultTransitContext tenantA = VaultTransitContext.builder().context("tenant-a".getBytes(StandardCharsets.UTF_8)).build();
        VaultTransitContext tenantB = VaultTransitContext.builder().context("tenant-b".getBytes(StandardCharsets.UTF_8)).build();
        byte[] secret = "per-tenant".getBytes(StandardCharsets.UTF_8);
        String derivedCipher = transit.encrypt("tenants", secret, tenantA);
        assertThat(transit.decrypt("tenants", derivedCipher, tenantA)).isEqualTo(secret);
        assertThatThrownBy(() -> transit.decrypt("tenants", derivedCipher, tenantB)).isInstanceOf(VaultException.class)
                .hasMessageContaining("400");

        // signatures with ed25519 and ecdsa-p256
        for (String type : List.of("ed25519", "ecdsa-p256")) {
            String name = "signer-" + type;
            transit.createKey(name, VaultTransitKeyCreationRequest.builder().type(type).build());
            VaultTransitKey signer = transit.getKey(name);
            assertThat(signer.getType()).isEqualTo(type);
            assertThat(signer.supportsSigning()).isTrue();
            Plaintext message = Plaintext.of("signed by " + type);
            Signature signature = transit.sign(name, message);
            assertThat(signature.getSignature()).startsWith("vault:v1:");
            assertThat(transit.verify(name, message, signature)).isTrue();
            assertThat(transit.verify(name, Plaintext.of("tampered"), signature)).isFalse();
        }
        Signature sha512 = transit.sign("signer-ecdsa-p256", VaultSignRequest.builder()
                .plaintext(Plaintext.of("hashed")).hashAlgorithm("sha2-512").build());
        assertThat(transit.verify("signer-ecdsa-p256", VaultSignatureVerificationRequest.builder()
                .plaintext(Plaintext.of("hashed")).signature(sha512).hashAlgorithm("sha2-512").build()).isValid()).isTrue();

        transit.configureKey("orders", VaultTransitKeyConfiguration.builder().minDecryptionVersion(2)
                .deletionAllowed(true).build());
        VaultTransitKey configured = transit.getKey("orders");
        assertThat(configured.getMinDecryptionVersion()).isEqualTo(2);
        assertThat(configured.isDeletionAllowed()).isTrue();
        assertThatThrownBy(() -> transit.decrypt("orders", ciphertext)).isInstanceOf(VaultException.class)
                .hasMessageContaining("400");

        Hmac hmac = transit.getHmac("orders", Plaintext.of("mac me"));
        assertThat(hmac.getHmac()).startsWith("vault:v2:");
        assertThat(transit.verify("orders", VaultSignatureVerificationRequest.builder()
                .plaintext(Plaintext.of("mac me")).hmac(hmac).build()).isValid()).isTrue();
        assertThat(transit.verify("orders", VaultSignatureVerificationRequest.builder()
                .plaintext(Plaintext.of("other")).hmac(hmac).build()).isValid()).isFalse();

        transit.deleteKey("orders");
        assertThat(transit.getKeys()).doesNotContain("orders");
        assertThat(transit.getKey("orders")).isNull();
    }

    @Test
    void tokens_createLookupRenewRevoke() {
        Policy readSecret = Policy.of(Policy.Rule.builder().path("secret/data/tokens/*")
                .capabilities(BuiltinCapabilities.READ).build());
        vault.opsForSys().createOrUpdatePolicy("spring-reader", readSecret);

        VaultTokenResponse created = vault.opsForToken().create(VaultTokenRequest.builder()
                .withPolicy("spring-reader").ttl(Duration.ofHours(1)).renewable().displayName("spring").build());
        VaultToken token = created.getToken();
        assertThat(token.getToken()).isNotBlank();
        assertThat(created.getAuth()).containsKey("accessor");
        assertThat(created.getAuth().get("policies")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("spring-reader", "default");
        assertThat(((Number) created.getAuth().get("lease_duration")).longValue()).isEqualTo(3600L);

        VaultTemplate asToken = template(token.getToken());
        VaultResponse self = asToken.read("auth/token/lookup-self");
        assertThat(self).isNotNull();
        assertThat(self.getRequiredData()).containsEntry("id", token.getToken());
        assertThat(self.getRequiredData().get("policies")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("spring-reader");
        assertThat(((Number) self.getRequiredData().get("ttl")).longValue()).isBetween(3500L, 3600L);

        vault.opsForVersionedKeyValue("secret").put("tokens/db", Map.of("pw", "x"));
        assertThat(asToken.opsForVersionedKeyValue("secret").get("tokens/db").getRequiredData()).containsEntry("pw", "x");
        assertThatThrownBy(() -> asToken.opsForVersionedKeyValue("secret").put("tokens/db", Map.of("pw", "y")))
                .isInstanceOf(VaultException.class).hasMessageContaining("403");

        VaultTokenResponse renewed = vault.opsForToken().renew(token);
        assertThat(renewed.getAuth()).containsEntry("client_token", token.getToken());
        assertThat(((Number) renewed.getAuth().get("lease_duration")).longValue()).isPositive();

        vault.opsForToken().revoke(token);
        assertThatThrownBy(() -> asToken.read("auth/token/lookup-self"))
                .isInstanceOf(VaultException.class).hasMessageContaining("403");

        VaultTokenResponse orphan = vault.opsForToken().createOrphan(VaultTokenRequest.builder()
                .ttl(Duration.ofMinutes(5)).build());
        assertThat(orphan.getAuth()).containsEntry("orphan", true);
        vault.opsForToken().revokeOrphan(orphan.getToken());
    }

    @Test
    void sys_policiesCrud() {
        Policy policy = Policy.of(
                Policy.Rule.builder().path("secret/data/app/*").capabilities(BuiltinCapabilities.READ,
                        BuiltinCapabilities.LIST).build(),
                Policy.Rule.builder().path("transit/encrypt/orders")
                        .capabilities(BuiltinCapabilities.UPDATE).build());
        vault.opsForSys().createOrUpdatePolicy("spring-app", policy);

        assertThat(vault.opsForSys().getPolicyNames()).contains("spring-app", "default", "root");
        Policy read = vault.opsForSys().getPolicy("spring-app");
        assertThat(read).isEqualTo(policy);
        assertThat(read.getRule("secret/data/app/*").getCapabilities())
                .containsExactlyInAnyOrder(BuiltinCapabilities.READ, BuiltinCapabilities.LIST);

        vault.opsForSys().deletePolicy("spring-app");
        assertThat(vault.opsForSys().getPolicy("spring-app")).isNull();
        assertThat(vault.opsForSys().getPolicyNames()).doesNotContain("spring-app");
    }

    @Test
    void sys_mountsListMountUnmount() {
        Map<String, VaultMount> mounts = vault.opsForSys().getMounts();
        // Vault also lists its built-in sys/, cubbyhole/ and identity/ here; Coffer lists only real mounts
        // (docs/compatibility.md). Spring Vault does not rely on either.
        assertThat(mounts).containsKey("secret/");
        VaultMount secret = mounts.get("secret/");
        assertThat(secret.getType()).isEqualTo("kv");
        assertThat(secret.getOptions()).containsEntry("version", "2");

        vault.opsForSys().mount("scratch", VaultMount.builder().type("kv-v2").description("scratch space")
                .config(Map.of("default_lease_ttl", "1h")).build());
        VaultMount scratch = vault.opsForSys().getMounts().get("scratch/");
        assertThat(scratch).isNotNull();
        assertThat(scratch.getDescription()).isEqualTo("scratch space");
        assertThat(scratch.getOptions()).containsEntry("version", "2");
        assertThat(((Number) scratch.getConfig().get("default_lease_ttl")).longValue()).isEqualTo(3600L);

        vault.opsForSys().unmount("scratch");
        assertThat(vault.opsForSys().getMounts()).doesNotContainKey("scratch/");

        Map<String, VaultMount> auth = vault.opsForSys().getAuthMounts();
        assertThat(auth).containsKey("token/");
        assertThat(auth.get("token/").getType()).isEqualTo("token");
    }
}
