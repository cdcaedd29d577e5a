package dev.coffer.seal;

import static dev.coffer.seal.SealFixtures.AAD;
import static dev.coffer.seal.SealFixtures.ROOT_KEY;
import static dev.coffer.seal.SealFixtures.failure;
import static dev.coffer.seal.SealFixtures.withCiphertext;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeKmsWrapperTest {

    /** A "KMS" that wraps by XOR with a constant and keeps every data key it was given or returned. */
    private static final class XorKms extends EnvelopeKmsWrapper {
        final List<byte[]> dataKeysSeen = new ArrayList<>();
        final List<byte[]> dataKeysReturned = new ArrayList<>();
        String current = "k1";
        String reported;

        XorKms(SecureRandom random) {
            super("xorkms", "xor+aes-256-gcm", random);
        }

        @Override
        public String keyId() {
            return current;
        }

        @Override
        protected String wrappingKey() throws SealException {
            if (current.isEmpty()) {
                throw new SealException(SealException.Reason.UNREACHABLE, "xorkms seal: no key");
            }
            return current;
        }

        @Override
        protected WrappedKey wrap(String wrappingKey, byte[] dataKey, byte[] aad) {
            dataKeysSeen.add(dataKey);
            return new WrappedKey(reported != null ? reported : wrappingKey, xor(dataKey));
        }

        @Override
        protected byte[] unwrap(BlobInfo blob, byte[] aad) {
            byte[] dataKey = xor(blob.wrappedKey());
            dataKeysReturned.add(dataKey);
            return dataKey;
        }

        private static byte[] xor(byte[] bytes) {
            byte[] out = bytes.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] ^= 0x5a;
            }
            return out;
        }
    }

    @Test
    void encryptThenDecrypt_roundTrips_andTheBlobRecordsTypeMechanismAndTheReportedKey() throws Exception {
        XorKms kms = new XorKms(new SecureRandom());
        kms.reported = "k1-as-reported";

        BlobInfo blob = kms.encrypt(ROOT_KEY, AAD);

        assertThat(kms.type()).isEqualTo("xorkms");
        assertThat(blob.wrapperType()).isEqualTo("xorkms");
        assertThat(blob.mechanism()).isEqualTo("xor+aes-256-gcm");
        assertThat(blob.keyId()).isEqualTo("k1-as-reported");
        assertThat(blob.iv()).hasSize(Envelope.IV_LENGTH);
        assertThat(kms.decrypt(blob, AAD)).isEqualTo(ROOT_KEY);
    }

    @Test
    void theDataKey_isZeroedOnceTheBlobIsMadeOrOpened() throws Exception {
        XorKms kms = new XorKms(new SecureRandom());

        kms.decrypt(kms.encrypt(ROOT_KEY, AAD), AAD);

        assertThat(kms.dataKeysSeen).singleElement().isEqualTo(new byte[Envelope.DATA_KEY_LENGTH]);
        assertThat(kms.dataKeysReturned).singleElement().isEqualTo(new byte[Envelope.DATA_KEY_LENGTH]);
    }

    @Test
    void aFailingWrappingKey_failsEncryptBeforeAnyRandomIsDrawn() {
        ByteStreamRandom random = new ByteStreamRandom(new int[Envelope.DATA_KEY_LENGTH + Envelope.IV_LENGTH]);
        XorKms kms = new XorKms(random);
        kms.current = "";

        assertThat(failure(() -> kms.encrypt(ROOT_KEY, AAD)).reason()).isEqualTo(SealException.Reason.UNREACHABLE);
        assertThat(random.consumed()).isZero();
    }

    @Test
    void aBlobOfAnotherSealOrMechanism_isAConfigErrorNamingBoth() throws Exception {
        XorKms kms = new XorKms(new SecureRandom());
        BlobInfo blob = kms.encrypt(ROOT_KEY, AAD);
        BlobInfo other = new BlobInfo("awskms", "aws-kms-symmetric+aes-256-gcm", blob.keyId(), blob.iv(),
                blob.wrappedKey(), blob.ciphertext());
        BlobInfo otherMechanism = new BlobInfo("xorkms", "xor-v0", blob.keyId(), blob.iv(), blob.wrappedKey(),
                blob.ciphertext());

        SealException e = failure(() -> kms.decrypt(other, AAD));
        assertThat(e.reason()).isEqualTo(SealException.Reason.CONFIG);
        assertThat(e.getMessage()).isEqualTo("the stored blob was wrapped by seal type 'awskms'"
                + " (aws-kms-symmetric+aes-256-gcm), not by xorkms: configure the matching seal or migrate the seal");
        assertThat(failure(() -> kms.decrypt(otherMechanism, AAD)).reason()).isEqualTo(SealException.Reason.CONFIG);
        assertThat(kms.dataKeysReturned).as("the KMS is not asked").isEmpty();
    }

    @Test
    void aTamperedCiphertext_failsAsIntegrity() throws Exception {
        XorKms kms = new XorKms(new SecureRandom());
        BlobInfo blob = kms.encrypt(ROOT_KEY, AAD);
        byte[] ciphertext = blob.ciphertext();
        ciphertext[0] ^= 1;

        SealException e = failure(() -> kms.decrypt(withCiphertext(blob, ciphertext), AAD));
        assertThat(e.reason()).isEqualTo(SealException.Reason.INTEGRITY);
        assertThat(e.getMessage()).startsWith("xorkms seal: ");
    }

    @Test
    void needsRewrap_onlyForABlobOfAnotherKey_andNeverWhileTheCurrentKeyIsUnknown() throws Exception {
        XorKms kms = new XorKms(new SecureRandom());
        BlobInfo blob = kms.encrypt(ROOT_KEY, AAD);

        assertThat(kms.needsRewrap(blob)).isFalse();
        kms.current = "k2";
        assertThat(kms.needsRewrap(blob)).isTrue();
        kms.current = "";
        assertThat(kms.needsRewrap(blob)).isFalse();
    }
}
