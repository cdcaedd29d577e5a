package dev.coffer.seal.azure;

import com.microsoft.aad.msal4j.MsalTestEnvironment;
import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.coffer.seal.SealFixtures.AAD;
import static dev.coffer.seal.SealFixtures.ROOT_KEY;
import static dev.coffer.seal.SealFixtures.withCiphertext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real Azure SDK, unchanged, against the HTTPS fake of Key Vault and Entra ID. */
class AzureKeyVaultWrapperTest {

    private static TestTls tls;
    private FakeKeyVault fake;

    @BeforeAll
    static void certificate() throws Exception {
        tls = new TestTls();
    }

    @BeforeEach
    void startFake() throws Exception {
        fake = new FakeKeyVault(tls);
    }

    @AfterEach
    void stopFake() {
        fake.close();
        MsalTestEnvironment.reset();
    }

    /** The seed's service-principal stanza, pointed at the fake through the vault_url/authority_host extensions. */
    private Map<String, String> clientSecretStanza() {
        Map<String, String> stanza = new HashMap<>(Map.of("tenant_id", FakeEntraId.TENANT,
                "client_id", FakeEntraId.CLIENT_ID, "client_secret", FakeEntraId.CLIENT_SECRET,
                "vault_name", "MyVaultUnsealKeyVault", "key_name", FakeKeyVault.KEY_NAME));
        stanza.put("vault_url", fake.vaultUrl());
        stanza.put("authority_host", fake.authorityHost());
        return stanza;
    }

    private AzureKeyVaultWrapper wrapper(Map<String, String> stanza, Map<String, String> env) throws Exception {
        return new AzureKeyVaultWrapperFactory(env, tls.clientTransport()).create(stanza);
    }

    private AzureKeyVaultWrapper wrapper() throws Exception {
        return wrapper(clientSecretStanza(), Map.of());
    }

    @Test
    void clientSecretEncryptDecrypt_roundTripsThroughKeyVault() throws Exception {
        try (AzureKeyVaultWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);

            assertThat(blob.wrapperType()).isEqualTo("azurekeyvault");
            assertThat(blob.mechanism()).isEqualTo("rsa-oaep-256+aes-256-gcm");
            assertThat(blob.keyId()).isEqualTo(seal.keyId()).isEqualTo(fake.keys.find(FakeKeyVault.KEY_NAME, "").id);
            assertThat(blob.iv()).hasSize(12);
            assertThat(blob.wrappedKey()).hasSize(256);
            assertThat(seal.decrypt(blob, AAD)).isEqualTo(ROOT_KEY);
            assertThat(fake.calls("wrapkey")).isEqualTo(1);
            assertThat(fake.calls("unwrapkey")).isEqualTo(1);
        }
    }

    @Test
    void managedIdentityStanzaWithClientIdOnly_roundTrips() throws Exception {
        Map<String, String> env = Map.of("IDENTITY_ENDPOINT", fake.authorityHost() + "msi/token",
                "IDENTITY_HEADER", FakeEntraId.IDENTITY_HEADER);
        MsalTestEnvironment.install(env);
        Map<String, String> stanza = Map.of("vault_name", "MyVaultUnsealKeyVault", "key_name", FakeKeyVault.KEY_NAME,
                "client_id", FakeEntraId.MANAGED_IDENTITY_CLIENT_ID, "vault_url", fake.vaultUrl());

        try (AzureKeyVaultWrapper seal = wrapper(stanza, env)) {
            assertThat(seal.decrypt(seal.encrypt(ROOT_KEY, AAD), AAD)).isEqualTo(ROOT_KEY);
        }
    }

    @Test
    void rotatedKey_newBlobsUseNewVersion_oldBlobsStillDecrypt() throws Exception {
        try (AzureKeyVaultWrapper seal = wrapper()) {
            BlobInfo old = seal.encrypt(ROOT_KEY, AAD);
            String newVersion = fake.keys.rotate(FakeKeyVault.KEY_NAME);

            seal.healthCheck();
            BlobInfo fresh = seal.encrypt(ROOT_KEY, AAD);

            assertThat(seal.currentKeyVersion()).isEqualTo(newVersion);
            assertThat(fresh.keyId()).isEqualTo(newVersion).isNotEqualTo(old.keyId());
            assertThat(seal.needsRewrap(old)).isTrue();
            assertThat(seal.needsRewrap(fresh)).isFalse();
            assertThat(seal.decrypt(old, AAD)).isEqualTo(ROOT_KEY);
            assertThat(seal.decrypt(fresh, AAD)).isEqualTo(ROOT_KEY);
        }
    }

    @Test
    void disabledOldVersion_failsWithKeyNotFoundAskingToReenable() throws Exception {
        try (AzureKeyVaultWrapper seal = wrapper()) {
            BlobInfo old = seal.encrypt(ROOT_KEY, AAD);
            fake.keys.rotate(FakeKeyVault.KEY_NAME);
            fake.keys.find(FakeKeyVault.KEY_NAME, old.keyId()).enabled = false;

            assertThatThrownBy(() -> seal.decrypt(old, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_FOUND);
                assertThat(e.getMessage()).contains(old.keyId(), FakeKeyVault.KEY_NAME, "re-enable", "re-wrapped");
            });
        }
    }

    @Test
    void deniedWrapKey_failsWithPermissionDeniedNamingOperationAndRole() throws Exception {
        try (AzureKeyVaultWrapper seal = wrapper()) {
            fake.denied.add("wrapKey");

            assertThatThrownBy(() -> seal.encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED);
                assertThat(e.getMessage()).contains("'wrapKey'", "Key Vault Crypto Service Encryption User");
            });
        }
    }

    @Test
    void deniedGetAtStartup_createsTheSeal_firstUseFailsWithPermissionDeniedNamingGet_thenRecovers() throws Exception {
        fake.denied.add("get");

        try (AzureKeyVaultWrapper seal = wrapper()) {
            assertThat(seal.keyId()).as("unknown while 'get' is denied").isEmpty();
            assertThatThrownBy(() -> seal.encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED);
                assertThat(e.getMessage()).contains("'get'");
            });

            fake.denied.remove("get");
            assertThat(seal.keyId()).isEqualTo(fake.keys.find(FakeKeyVault.KEY_NAME, "").id);
            assertThat(seal.decrypt(seal.encrypt(ROOT_KEY, AAD), AAD)).isEqualTo(ROOT_KEY);
        }
    }

    @Test
    void stoppedKeyVaultAtStartup_createsTheSeal_firstUseFailsWithUnreachable() throws Exception {
        fake.close();

        try (AzureKeyVaultWrapper seal = wrapper()) {
            assertThatThrownBy(() -> seal.encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE));
        }
    }

    @Test
    void expiredClientSecret_failsWithBadCredentialsExplainingExpiry() {
        fake.entra.secretExpired = true;

        assertThatThrownBy(() -> wrapper().encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
            assertThat(e.getMessage()).contains("AADSTS7000222", "client secret expired", "managed identity")
                    .doesNotContain(FakeEntraId.CLIENT_SECRET);
        });
    }

    @Test
    void wrongClientSecret_failsWithBadCredentials() {
        Map<String, String> stanza = clientSecretStanza();
        stanza.put("client_secret", "not-the-secret");

        assertThatThrownBy(() -> wrapper(stanza, Map.of()).encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
            assertThat(e.getMessage()).contains("AADSTS7000215").doesNotContain("not-the-secret");
        });
    }

    @Test
    void throttledKeyVault_failsWithThrottled() throws Exception {
        try (AzureKeyVaultWrapper seal = wrapper()) {
            fake.throttled = true;

            assertThatThrownBy(() -> seal.encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.THROTTLED);
                assertThat(e.getMessage()).contains("429");
            });
            assertThat(fake.calls("wrapkey")).as("the SDK retried 3 times").isEqualTo(4);
        }
    }

    @Test
    void stoppedKeyVault_failsWithUnreachableWithinBoundedTime() throws Exception {
        try (AzureKeyVaultWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);
            fake.close();
            long start = System.nanoTime();

            assertThatThrownBy(() -> seal.decrypt(blob, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
                assertThat(e.getMessage()).contains(fake.vaultUrl(), "same region");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
        }
    }

    @Test
    void untrustedCertificate_failsWithUnreachableNamingTheTrustStore() throws Exception {
        // the production HTTP client (JVM default trust store), which does not trust the fake's self-signed certificate
        Map<String, String> stanza = clientSecretStanza();
        stanza.put("vault_url", "https://localhost:" + fake.port() + "/");
        AzureKeyVaultWrapper seal = new AzureKeyVaultWrapperFactory(Map.of()).create(stanza);

        assertThatThrownBy(() -> seal.encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(e.getMessage()).contains("SSLHandshakeException", "caused by", "trust store");
        });
        assertThat(fake.calls("get")).isZero();
    }

    @Test
    void tamperedCiphertext_failsWithIntegrity() throws Exception {
        try (AzureKeyVaultWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);
            byte[] ciphertext = blob.ciphertext();
            ciphertext[0] ^= 1;
            BlobInfo tampered = withCiphertext(blob, ciphertext);

            assertThatThrownBy(() -> seal.decrypt(tampered, AAD)).isInstanceOfSatisfying(SealException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.INTEGRITY));
        }
    }

    @Test
    void decryptWithOtherAssociatedData_failsWithIntegrity() throws Exception {
        try (AzureKeyVaultWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);

            assertThatThrownBy(() -> seal.decrypt(blob, "core/recovery-key".getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INTEGRITY));
        }
    }

    @Test
    void environmentVariablesOverrideTheStanza() throws Exception {
        Map<String, String> stanza = clientSecretStanza();
        stanza.put("key_name", "no-such-key");
        stanza.put("client_secret", "stale-secret-in-file");
        Map<String, String> env = Map.of("VAULT_AZUREKEYVAULT_KEY_NAME", FakeKeyVault.KEY_NAME,
                "AZURE_CLIENT_SECRET", FakeEntraId.CLIENT_SECRET);

        try (AzureKeyVaultWrapper seal = wrapper(stanza, env)) {
            assertThat(seal.decrypt(seal.encrypt(ROOT_KEY, AAD), AAD)).isEqualTo(ROOT_KEY);
        }
    }

    @Test
    void missingKey_failsWithKeyNotFound() {
        Map<String, String> stanza = clientSecretStanza();
        stanza.put("key_name", "no-such-key");

        assertThatThrownBy(() -> wrapper(stanza, Map.of()).encrypt(ROOT_KEY, AAD)).isInstanceOfSatisfying(SealException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_FOUND);
            assertThat(e.getMessage()).contains("no-such-key");
        });
    }
}
