package dev.coffer.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BlobCodecTest {

    @Test
    void encodeDecode_roundTripsEveryField() throws SealException {
        BlobInfo blob = new BlobInfo("azurekeyvault", "rsa-oaep-256+aes-256-gcm", "https://v/keys/k/abc",
                new byte[] {1, 2, 3}, new byte[] {4, 5}, new byte[] {6, 7, 8, 9});

        assertThat(BlobCodec.decode(BlobCodec.encode(blob))).isEqualTo(blob);
    }

    @Test
    void encodeDecode_roundTripsEmptyOptionalFields() throws SealException {
        BlobInfo blob = new BlobInfo("shamir", "aes-256-gcm", null, null, null, new byte[] {1});

        assertThat(BlobCodec.decode(BlobCodec.encode(blob))).isEqualTo(blob);
    }

    @Test
    void encoding_isCompactJsonWithAVersion() {
        String json = new String(BlobCodec.encode(new BlobInfo("shamir", "aes-256-gcm", "", new byte[1], null, new byte[1])),
                StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"v\":1,").doesNotContain(" ").doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "[]", "{}", "42", "{\"v\":2,\"type\":\"shamir\"}",
            "{\"v\":1,\"type\":\"shamir\",\"mechanism\":\"m\",\"key_id\":\"\",\"iv\":\"\",\"wrapped_key\":\"\"}",
            "{\"v\":1,\"type\":\"shamir\",\"mechanism\":\"m\",\"key_id\":\"\",\"iv\":\"!!\",\"wrapped_key\":\"\",\"ciphertext\":\"AA==\"}",
            "{\"v\":\"1\",\"type\":\"shamir\"}"})
    void decodeOfGarbage_failsWithIntegrity(String input) {
        assertThatThrownBy(() -> BlobCodec.decode(input.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(SealException.Reason.INTEGRITY))
                .hasMessageContaining("stored seal blob cannot be read");
    }

    @Test
    void decodeOfRandomBinary_failsWithIntegrity() {
        assertThatThrownBy(() -> BlobCodec.decode(new byte[] {(byte) 0xff, 0, 1, (byte) 0x80}))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(SealException.Reason.INTEGRITY));
    }
}
