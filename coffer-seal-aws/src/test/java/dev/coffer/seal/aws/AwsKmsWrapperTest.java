package dev.coffer.seal.aws;

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

import static dev.coffer.seal.SealFixtures.AAD;
import static dev.coffer.seal.SealFixtures.ROOT_KEY;
import static dev.coffer.seal.SealFixtures.failure;
import static dev.coffer.seal.SealFixtures.withCiphertext;
import static dev.coffer.seal.SealFixtures.withKeyId;
import static dev.coffer.seal.SealFixtures.withWrappedKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real AWS SDK v2, unchanged, against the local fake of the KMS JSON protocol. */
class AwsKmsWrapperTest {

    private FakeKms fake;

    @BeforeEach
    void startFake() throws Exception {
        fake = new FakeKms();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private Map<String, String> stanza(String keyId) {
        return new HashMap<>(Map.of("region", "us-east-1", "access_key", FakeKms.ACCESS_KEY_ID,
                "secret_key", FakeKms.SECRET_KEY, "kms_key_id", keyId, "endpoint", fake.endpoint()));
    }

    private AwsKmsWrapper wrapper(Map<String, String> stanza, Map<String, String> env) throws SealException {
        return new AwsKmsWrapperFactory(env).create(stanza);
    }

    private AwsKmsWrapper wrapper() throws SealException {
        return wrapper(stanza(fake.key.id), Map.of());
    }

    @Test
    void staticCredentialsEncryptDecrypt_roundTripsThroughKms() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);

            assertThat(blob.wrapperType()).isEqualTo("awskms");
            assertThat(blob.mechanism()).isEqualTo(AwsKmsWrapper.MECHANISM);
            assertThat(blob.iv()).hasSize(12);
            assertThat(blob.wrappedKey()).isNotEmpty();
            assertThat(new String(blob.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain(new String(ROOT_KEY, StandardCharsets.ISO_8859_1));
            assertThat(seal.decrypt(blob, AAD)).isEqualTo(ROOT_KEY);
            assertThat(fake.calls("DescribeKey")).isEqualTo(1);
            assertThat(fake.calls("Encrypt")).isEqualTo(1);
            assertThat(fake.calls("Decrypt")).isEqualTo(1);
        }
    }

    @Test
    void blob_recordsTheKeyArnFromEncrypt() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);

            assertThat(blob.keyId()).isEqualTo(fake.key.arn()).isEqualTo(seal.keyId());
            assertThat(seal.needsRewrap(blob)).isFalse();
        }
    }

    @Test
    void aliasAndArnKeyIds_resolveToTheKeyArn() throws Exception {
        for (String keyId : new String[] {FakeKms.ALIAS, fake.key.arn(),
                "arn:aws:kms:us-east-1:111122223333:" + FakeKms.ALIAS}) {
            try (AwsKmsWrapper seal = wrapper(stanza(keyId), Map.of())) {
                BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);

                assertThat(seal.keyId()).as(keyId).isEqualTo(fake.key.arn());
                assertThat(blob.keyId()).as(keyId).isEqualTo(fake.key.arn());
                assertThat(seal.decrypt(blob, AAD)).isEqualTo(ROOT_KEY);
            }
        }
    }

    @Test
    void rotatedKey_stillDecryptsOldBlobs_andKeepsItsArn() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            BlobInfo old = seal.encrypt(ROOT_KEY, AAD);
            fake.keys.rotate(fake.key);
            seal.healthCheck();
            BlobInfo fresh = seal.encrypt(ROOT_KEY, AAD);

            assertThat(FakeKmsKeys.versionOf(old.wrappedKey())).isZero();
            assertThat(FakeKmsKeys.versionOf(fresh.wrappedKey())).isEqualTo(1);
            assertThat(fresh.keyId()).isEqualTo(old.keyId()).isEqualTo(seal.keyId());
            assertThat(seal.decrypt(old, AAD)).isEqualTo(ROOT_KEY);
            assertThat(seal.decrypt(fresh, AAD)).isEqualTo(ROOT_KEY);
        }
    }

    @Test
    void aliasPointedAtAnotherKey_healthCheckAdoptsIt_andOldBlobsStillDecrypt() throws Exception {
        try (AwsKmsWrapper seal = wrapper(stanza(FakeKms.ALIAS), Map.of())) {
            BlobInfo old = seal.encrypt(ROOT_KEY, AAD);
            FakeKmsKeys.Key next = fake.keys.create();
            fake.keys.alias(FakeKms.ALIAS, next);

            seal.healthCheck();
            BlobInfo fresh = seal.encrypt(ROOT_KEY, AAD);

            assertThat(seal.keyId()).isEqualTo(next.arn());
            assertThat(fresh.keyId()).isEqualTo(next.arn());
            assertThat(seal.needsRewrap(old)).isTrue();
            assertThat(seal.decrypt(old, AAD)).isEqualTo(ROOT_KEY);
        }
    }

    @Test
    void deniedEncrypt_failsWithPermissionDeniedNamingTheAction() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            fake.denied.add("kms:Encrypt");

            SealException e = failure(() -> seal.encrypt(ROOT_KEY, AAD));
            assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("'kms:Encrypt'", "key policy");
        }
    }

    @Test
    void deniedDecrypt_failsWithPermissionDeniedNamingTheAction() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);
            fake.denied.add("kms:Decrypt");

            SealException e = failure(() -> seal.decrypt(blob, AAD));
            assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("'kms:Decrypt'", fake.key.arn());
        }
    }

    @Test
    void deniedDescribeKeyAtStartup_failsWithPermissionDeniedNamingTheAction() {
        fake.denied.add("kms:DescribeKey");

        SealException e = failure(this::wrapper);
        assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED);
        assertThat(e.getMessage()).contains("'kms:DescribeKey'");
    }

    @Test
    void unknownKeyId_failsWithKeyNotFoundNamingIt() {
        SealException e = failure(() -> wrapper(stanza("alias/no-such-key"), Map.of()));

        assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_FOUND);
        assertThat(e.getMessage()).contains("alias/no-such-key", "VAULT_AWSKMS_SEAL_KEY_ID", "us-east-1");
    }

    @Test
    void disabledKeyAtStartup_failsWithKeyNotFoundSayingHowToEnable() {
        fake.key.state = "Disabled";

        SealException e = failure(this::wrapper);
        assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_FOUND);
        assertThat(e.getMessage()).contains(fake.key.arn(), "Disabled", "enable-key");
    }

    @Test
    void keyDisabledOrPendingDeletionWhileRunning_failsWithKeyNotFound() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);
            fake.key.state = "Disabled";
            assertThat(failure(() -> seal.encrypt(ROOT_KEY, AAD)).reason()).isEqualTo(Reason.KEY_NOT_FOUND);

            fake.key.state = "PendingDeletion";
            SealException e = failure(() -> seal.decrypt(blob, AAD));
            assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_FOUND);
            assertThat(e.getMessage()).contains("KMSInvalidStateException");
        }
    }

    @Test
    void throttledKms_failsWithThrottledAfterBoundedRetries() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            fake.throttled = true;

            SealException e = failure(() -> seal.encrypt(ROOT_KEY, AAD));
            assertThat(e.reason()).isEqualTo(Reason.THROTTLED);
            assertThat(e.getMessage()).contains("ThrottlingException", "quota");
            assertThat(fake.calls("Encrypt")).as("3 attempts in all").isEqualTo(KmsClients.MAX_ATTEMPTS);
        }
    }

    @Test
    void stoppedKms_failsWithUnreachableNamingEndpointWithinBoundedTime() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);
            fake.close();
            long start = System.nanoTime();

            SealException e = failure(() -> seal.decrypt(blob, AAD));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
            assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
            assertThat(e.getMessage()).contains(fake.endpoint(), "region us-east-1", "'kms:Decrypt'");
        }
    }

    @Test
    void tamperedCiphertext_failsWithIntegrity() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);
            byte[] ciphertext = blob.ciphertext();
            ciphertext[0] ^= 1;

            assertThat(failure(() -> seal.decrypt(withCiphertext(blob, ciphertext), AAD)).reason()).isEqualTo(Reason.INTEGRITY);
        }
    }

    @Test
    void tamperedWrappedKey_failsWithIntegrityFromKms() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);
            byte[] wrapped = blob.wrappedKey();
            wrapped[wrapped.length - 1] ^= 1;

            SealException e = failure(() -> seal.decrypt(withWrappedKey(blob, wrapped), AAD));
            assertThat(e.reason()).isEqualTo(Reason.INTEGRITY);
            assertThat(e.getMessage()).contains("InvalidCiphertextException");
        }
    }

    @Test
    void decryptWithOtherAssociatedData_failsWithIntegrity() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);

            SealException e = failure(() -> seal.decrypt(blob, "core/recovery-key".getBytes(StandardCharsets.US_ASCII)));
            assertThat(e.reason()).isEqualTo(Reason.INTEGRITY);
        }
    }

    @Test
    void blobNamingAnotherKey_failsWithIntegrity() throws Exception {
        try (AwsKmsWrapper seal = wrapper()) {
            BlobInfo blob = seal.encrypt(ROOT_KEY, AAD);
            BlobInfo moved = withKeyId(blob, fake.keys.create().arn());

            SealException e = failure(() -> seal.decrypt(moved, AAD));
            assertThat(e.reason()).isEqualTo(Reason.INTEGRITY);
            assertThat(e.getMessage()).contains("IncorrectKeyException");
        }
    }

    @Test
    void wrongSecretKey_failsWithBadCredentialsWithoutEchoingIt() {
        Map<String, String> stanza = stanza(fake.key.id);
        stanza.put("secret_key", "not-the-secret-key");

        SealException e = failure(() -> wrapper(stanza, Map.of()));
        assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(e.getMessage()).contains("InvalidSignatureException").doesNotContain("not-the-secret-key");
    }

    @Test
    void unknownAccessKey_failsWithBadCredentials() {
        Map<String, String> stanza = stanza(fake.key.id);
        stanza.put("access_key", "AKIAUNKNOWN000000000");

        SealException e = failure(() -> wrapper(stanza, Map.of()));
        assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(e.getMessage()).contains("UnrecognizedClientException");
    }

    @Test
    void environmentVariablesOverrideTheStanza() throws Exception {
        Map<String, String> stanza = Map.of("region", "eu-west-1", "kms_key_id", "alias/stale-in-file",
                "access_key", "AKIASTALE00000000000", "secret_key", "stale", "endpoint", "http://127.0.0.1:9");
        Map<String, String> env = Map.of("AWS_REGION", "us-east-1", "VAULT_AWSKMS_SEAL_KEY_ID", FakeKms.ALIAS,
                "AWS_ACCESS_KEY_ID", FakeKms.ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", FakeKms.SECRET_KEY,
                "AWS_KMS_ENDPOINT", fake.endpoint());

        try (AwsKmsWrapper seal = wrapper(stanza, env)) {
            assertThat(seal.decrypt(seal.encrypt(ROOT_KEY, AAD), AAD)).isEqualTo(ROOT_KEY);
            assertThat(fake.lastRegion).isEqualTo("us-east-1");
        }
    }

    @Test
    void sharedCredentialsFileAndProfile_areUsedWhenNoKeysAreGiven(@TempDir Path dir) throws Exception {
        fake.addCredentials("AKIAPROFILE000000001", "profile-secret");
        Path file = dir.resolve("credentials");
        Files.writeString(file, "[default]\naws_access_key_id = AKIAWRONG0000000000\naws_secret_access_key = x\n\n"
                + "[coffer]\naws_access_key_id = AKIAPROFILE000000001\naws_secret_access_key = profile-secret\n");
        Map<String, String> stanza = Map.of("kms_key_id", FakeKms.ALIAS, "endpoint", fake.endpoint(),
                "shared_creds_filename", file.toString());

        try (AwsKmsWrapper seal = wrapper(stanza, Map.of("AWS_PROFILE", "coffer"))) {
            assertThat(seal.decrypt(seal.encrypt(ROOT_KEY, AAD), AAD)).isEqualTo(ROOT_KEY);
            assertThat(fake.lastRegion).as("default region").isEqualTo("us-east-1");
        }
    }
}
