package dev.coffer.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;

class ShamirWrapperTest {

    private static final byte[] AAD = "core/hsm/barrier-unseal-keys".getBytes(StandardCharsets.UTF_8);
    private final SecureRandom random = new SecureRandom();

    private ShamirWrapper wrapperWithKey(byte[] key) throws SealException {
        ShamirWrapper wrapper = new ShamirWrapper(random);
        wrapper.setKey(key);
        return wrapper;
    }

    private byte[] randomKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    @Test
    void encryptDecrypt_works_andDescribesItself() throws SealException {
        ShamirWrapper wrapper = wrapperWithKey(randomKey());
        byte[] rootKey = randomKey();

        BlobInfo blob = wrapper.encrypt(rootKey, AAD);

        assertThat(blob.wrapperType()).isEqualTo("shamir");
        assertThat(blob.mechanism()).isEqualTo("aes-256-gcm");
        assertThat(blob.keyId()).isEqualTo(wrapper.keyId()).matches("[0-9a-f]{16}");
        assertThat(blob.iv()).hasSize(12);
        assertThat(blob.wrappedKey()).isEmpty();
        assertThat(blob.ciphertext()).hasSize(rootKey.length + 16);
        assertThat(wrapper.decrypt(blob, AAD)).isEqualTo(rootKey);
    }

    @Test
    void decryptWithWrongKey_failsWithIntegrity() throws SealException {
        BlobInfo blob = wrapperWithKey(randomKey()).encrypt(new byte[32], AAD);
        ShamirWrapper other = wrapperWithKey(randomKey());

        assertThatThrownBy(() -> other.decrypt(blob, AAD))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(SealException.Reason.INTEGRITY))
                .hasMessageContaining("unseal keys do not match");
    }

    @Test
    void decryptWithOtherAssociatedData_fails() throws SealException {
        ShamirWrapper wrapper = wrapperWithKey(randomKey());
        BlobInfo blob = wrapper.encrypt(new byte[32], AAD);

        assertThatThrownBy(() -> wrapper.decrypt(blob, "core/recovery-key".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(SealException.Reason.INTEGRITY));
    }

    @Test
    void keyCombinedFromThresholdShares_decrypts_butFewerSharesAreRejectedByTheTag() throws SealException {
        byte[] unsealKey = randomKey();
        BlobInfo blob = wrapperWithKey(unsealKey).encrypt(new byte[] {42}, AAD);
        List<byte[]> shares = Shamir.split(unsealKey, 5, 3, random);

        assertThat(wrapperWithKey(Shamir.combine(shares.subList(1, 4))).decrypt(blob, AAD)).containsExactly(42);
        ShamirWrapper tooFew = wrapperWithKey(Shamir.combine(shares.subList(0, 2)));
        assertThatThrownBy(() -> tooFew.decrypt(blob, AAD)).hasMessageContaining("unseal keys do not match");
    }

    @Test
    void setKey_copiesTheCallersArray() throws SealException {
        byte[] key = randomKey();
        ShamirWrapper wrapper = wrapperWithKey(key);
        BlobInfo blob = wrapper.encrypt(new byte[] {1}, AAD);

        java.util.Arrays.fill(key, (byte) 0);

        assertThat(wrapper.decrypt(blob, AAD)).containsExactly(1);
    }

    @Test
    void afterWipe_theWrapperRefusesToWork() throws SealException {
        ShamirWrapper wrapper = wrapperWithKey(randomKey());
        BlobInfo blob = wrapper.encrypt(new byte[] {1}, AAD);

        wrapper.wipe();

        assertThat(wrapper.keyId()).isEmpty();
        assertThatThrownBy(() -> wrapper.decrypt(blob, AAD)).isInstanceOf(SealException.class).hasMessageContaining("no key");
        assertThatThrownBy(() -> wrapper.encrypt(new byte[1], AAD)).isInstanceOf(SealException.class);
    }

    @Test
    void setKey_rejectsKeysThatAreNot32Bytes() {
        assertThatThrownBy(() -> new ShamirWrapper().setKey(new byte[16]))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(SealException.Reason.CONFIG));
    }

    @Test
    void decryptOfABlobFromAnotherSealType_failsWithAClearMessage() throws SealException {
        ShamirWrapper wrapper = wrapperWithKey(randomKey());
        BlobInfo azure = new BlobInfo("azurekeyvault", "rsa-oaep-256+aes-256-gcm", "k/1", new byte[12], new byte[256], new byte[48]);

        assertThatThrownBy(() -> wrapper.decrypt(azure, AAD)).hasMessageContaining("azurekeyvault");
    }
}
