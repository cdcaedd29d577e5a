package dev.coffer.seal.gcp;

import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import static dev.coffer.seal.SealFixtures.AAD;
import static dev.coffer.seal.SealFixtures.ROOT_KEY;
import static dev.coffer.seal.SealFixtures.failure;
import static dev.coffer.seal.SealFixtures.withCiphertext;
import static dev.coffer.seal.SealFixtures.withWrappedKey;
import static org.assertj.core.api.Assertions.assertThat;

/** Google's auth library (real JWT signing and token exchange) and the REST client against the local fake. */
class GcpCkmsWrapperTest {

    private FakeCloudKms fake;
    @TempDir
    Path dir;

    @BeforeEach
    void startFake() throws Exception {
        fake = new FakeCloudKms();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private Map<String, String> stanza() throws Exception {
        Path file = dir.resolve("sa.json");
        Files.writeString(file, fake.serviceAccountJson());
        return new HashMap<>(Map.of("credentials", file.toString(), "project", FakeCloudKms.PROJECT,
                "region", FakeCloudKms.LOCATION, "key_ring", FakeCloudKms.KEY_RING,
                "crypto_key", FakeCloudKms.CRYPTO_KEY, "endpoint", fake.endpoint()));
    }

    private GcpCkmsWrapper wrapper(Map<String, String> stanza, Map<String, String> env) throws SealException {
        return new GcpCkmsWrapperFactory(env).create(stanza);
    }

    private GcpCkmsWrapper wrapper() throws Exception {
        return wrapper(stanza(), Map.of());
    }

    @Test
    void encryptDecrypt_roundTripsThroughCloudKms() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);

            assertThat(blob.wrapperType()).isEqualTo("gcpckms");
            assertThat(blob.mechanism()).isEqualTo(GcpCkmsWrapper.MECHANISM);
            assertThat(blob.iv()).hasSize(12);
            assertThat(blob.wrappedKey()).isNotEmpty();
            assertThat(seal.decrypt(blob, AAD)).isEqualTo(ROOT_KEY);
            assertThat(fake.calls("token")).isEqualTo(1);
            assertThat(fake.calls("get")).isEqualTo(1);
            assertThat(fake.calls("encrypt")).isEqualTo(1);
            assertThat(fake.calls("decrypt")).isEqualTo(1);
        }
    }

    @Test
    void keyId_isThePrimaryVersionName_andTheBlobRecordsTheVersionFromEncrypt() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);

            String version1 = FakeCloudKms.KEY_NAME + "/cryptoKeyVersions/1";
            assertThat(seal.keyId()).isEqualTo(version1);
            assertThat(blob.keyId()).isEqualTo(version1);
            assertThat(seal.needsRewrap(blob)).isFalse();
        }
    }

    @Test
    void rotatedPrimaryVersion_newBlobsUseIt_oldBlobsStillDecrypt() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            BlobInfo old = seal.encrypt(ROOT_KEY, AAD);
            FakeCloudKms.Version v2 = fake.rotate();
            BlobInfo fresh = seal.encrypt(ROOT_KEY, AAD);
            seal.healthCheck();

            assertThat(fresh.keyId()).isEqualTo(v2.name).endsWith("/cryptoKeyVersions/2");
            assertThat(seal.keyId()).isEqualTo(v2.name);
            assertThat(seal.needsRewrap(old)).isTrue();
            assertThat(seal.decrypt(old, AAD)).isEqualTo(ROOT_KEY);
            assertThat(seal.decrypt(fresh, AAD)).isEqualTo(ROOT_KEY);
        }
    }

    @Test
    void disabledOldVersion_blobOfItIsKeyNotFound() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            BlobInfo old = seal.encrypt(ROOT_KEY, AAD);
            fake.rotate();
            fake.key().version(1).state = "DISABLED";

            SealException e = failure(() -> seal.decrypt(old, AAD));
            assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_FOUND);
            assertThat(e.getMessage()).contains("not enabled").contains("gcloud kms keys versions enable");
        }
    }

    @Test
    void disabledPrimaryVersion_atStartup_isKeyNotFound() throws Exception {
        fake.key().version(1).state = "DISABLED";

        SealException e = failure(() -> wrapper().close());
        assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_FOUND);
        assertThat(e.getMessage()).contains("cryptoKeyVersions/1").contains("DISABLED");
    }

    @Test
    void disabledPrimaryVersion_onEncrypt_isKeyNotFound() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            fake.key().version(1).state = "DISABLED";

            assertThat(failure(() -> seal.encrypt(ROOT_KEY, AAD)).reason()).isEqualTo(Reason.KEY_NOT_FOUND);
        }
    }

    @Test
    void permissionDenied_namesTheRoleAndPermission() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            fake.denied.add(GcpCkmsWrapper.PERMISSION_ENCRYPT);

            SealException e = failure(() -> seal.encrypt(ROOT_KEY, AAD));
            assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("roles/cloudkms.cryptoKeyEncrypterDecrypter")
                    .contains("cloudkms.cryptoKeyVersions.useToEncrypt").contains(FakeCloudKms.KEY_NAME);
            assertThat(fake.calls("encrypt")).isEqualTo(1);
        }
    }

    @Test
    void permissionDenied_onGet_atStartup() throws Exception {
        fake.denied.add(GcpCkmsWrapper.PERMISSION_GET);

        SealException e = failure(() -> wrapper().close());
        assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED);
        assertThat(e.getMessage()).contains("cloudkms.cryptoKeys.get");
    }

    @Test
    void throttled_isThrottled_afterBoundedRetries() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            fake.throttled = true;

            SealException e = failure(() -> seal.encrypt(ROOT_KEY, AAD));
            assertThat(e.reason()).isEqualTo(Reason.THROTTLED);
            assertThat(e.getMessage()).contains("RESOURCE_EXHAUSTED");
            assertThat(fake.calls("encrypt")).isEqualTo(KmsRest.MAX_ATTEMPTS);
        }
    }

    @Test
    void endpointDown_isUnreachable() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            fake.stop();
            long start = System.nanoTime();

            SealException e = failure(() -> seal.encrypt(ROOT_KEY, AAD));
            assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(e.getMessage()).contains(fake.endpoint());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void blackHoledEndpoint_isUnreachableWithinTheCallDeadline() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            fake.hang = true;
            long start = System.nanoTime();

            SealException e = failure(() -> seal.decrypt(new BlobInfo("gcpckms", GcpCkmsWrapper.MECHANISM,
                    seal.keyId(), new byte[12], new byte[48], new byte[32]), AAD));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(took).isLessThan(KmsRest.CALL_DEADLINE.plusSeconds(2));
        }
    }

    @Test
    void tamperedWrappedKey_isIntegrity() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);
            byte[] wrapped = blob.wrappedKey();
            wrapped[wrapped.length - 1] ^= 1;

            SealException e = failure(() -> seal.decrypt(withWrappedKey(blob, wrapped), AAD));
            assertThat(e.reason()).isEqualTo(Reason.INTEGRITY);
        }
    }

    @Test
    void otherAssociatedData_orTamperedCiphertext_isIntegrity() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);
            byte[] ciphertext = blob.ciphertext();
            ciphertext[0] ^= 1;

            assertThat(failure(() -> seal.decrypt(blob, "core/other".getBytes(StandardCharsets.US_ASCII))).reason())
                    .isEqualTo(Reason.INTEGRITY);
            assertThat(failure(() -> seal.decrypt(withCiphertext(blob, ciphertext), AAD)).reason())
                    .isEqualTo(Reason.INTEGRITY);
        }
    }

    @Test
    void rejectedToken_isBadCredentials() throws Exception {
        try (GcpCkmsWrapper seal = wrapper()) {
            fake.rejectTokens = true;

            SealException e = failure(() -> seal.encrypt(ROOT_KEY, AAD));
            assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
            assertThat(e.getMessage()).contains("UNAUTHENTICATED").contains("credentials");
        }
    }

    @Test
    void serviceAccountKeyUnknownToTheTokenEndpoint_isBadCredentials() throws Exception {
        String json = fake.serviceAccountJson();
        fake.close();
        try (FakeCloudKms other = new FakeCloudKms()) {
            // the other fake's token endpoint, but this fake's private key: the JWT signature does not verify
            Map<String, String> stanza = stanza();
            stanza.put("credentials", json.replace(fake.tokenUri(), other.tokenUri()));
            stanza.put("endpoint", other.endpoint());

            SealException e = failure(() -> wrapper(stanza, Map.of()).close());
            assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
            assertThat(e.getMessage()).contains("invalid_grant").doesNotContain("PRIVATE KEY");
        }
    }

    @Test
    void environment_overridesTheStanza() throws Exception {
        fake.addKey("from-env", "ENCRYPT_DECRYPT");
        Map<String, String> stanza = stanza();
        String file = stanza.remove("credentials");
        stanza.put("crypto_key", "absent-key");
        stanza.put("project", "wrong-project");
        Map<String, String> env = Map.of("GOOGLE_APPLICATION_CREDENTIALS", file, "GOOGLE_PROJECT", FakeCloudKms.PROJECT,
                "GOOGLE_REGION", FakeCloudKms.LOCATION, "VAULT_GCPCKMS_SEAL_KEY_RING", FakeCloudKms.KEY_RING,
                "VAULT_GCPCKMS_SEAL_CRYPTO_KEY", "from-env");

        try (GcpCkmsWrapper seal = wrapper(stanza, env)) {
            assertThat(seal.keyId()).contains("/cryptoKeys/from-env/cryptoKeyVersions/1");
            assertThat(seal.decrypt(seal.encrypt(ROOT_KEY, AAD), AAD)).isEqualTo(ROOT_KEY);
        }
    }

    @Test
    void googleCredentials_holdingTheJsonItself_winsOverTheStanza() throws Exception {
        Map<String, String> stanza = stanza();
        stanza.put("credentials", dir.resolve("does-not-exist.json").toString());

        try (GcpCkmsWrapper seal = wrapper(stanza, Map.of("GOOGLE_CREDENTIALS", fake.serviceAccountJson()))) {
            assertThat(seal.decrypt(seal.encrypt(ROOT_KEY, AAD), AAD)).isEqualTo(ROOT_KEY);
        }
    }

    @Test
    void keyWithAnotherPurpose_isConfig() throws Exception {
        fake.addKey("signing", "ASYMMETRIC_SIGN");
        Map<String, String> stanza = stanza();
        stanza.put("crypto_key", "signing");

        SealException e = failure(() -> wrapper(stanza, Map.of()).close());
        assertThat(e.reason()).isEqualTo(Reason.CONFIG);
        assertThat(e.getMessage()).contains("ENCRYPT_DECRYPT");
    }

    @Test
    void serviceLoader_findsTheFactory() {
        assertThat(ServiceLoader.load(dev.coffer.seal.KmsWrapperFactory.class).stream()
                .map(p -> p.get().type())).contains("gcpckms");
    }
}
