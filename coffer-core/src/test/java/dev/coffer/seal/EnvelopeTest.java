package dev.coffer.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    private final SecureRandom random = new SecureRandom();
    private final byte[] aad = "core/hsm/barrier-unseal-keys".getBytes(StandardCharsets.UTF_8);

    @Test
    void sealThenOpen_returnsThePlaintext() throws Exception {
        byte[] key = Envelope.newDataKey(random);
        byte[] iv = Envelope.newIv(random);
        byte[] ct = Envelope.seal("test", key, iv, "root key".getBytes(StandardCharsets.UTF_8), aad);
        assertThat(new String(Envelope.open("test", key, iv, ct, aad), StandardCharsets.UTF_8)).isEqualTo("root key");
    }

    @Test
    void openWithOtherAssociatedDataOrAFlippedByte_failsAsIntegrity() throws Exception {
        byte[] key = Envelope.newDataKey(random);
        byte[] iv = Envelope.newIv(random);
        byte[] ct = Envelope.seal("awskms", key, iv, new byte[32], aad);
        assertThatThrownBy(() -> Envelope.open("awskms", key, iv, ct, "core/recovery-key".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SealException.class).hasMessageStartingWith("awskms seal: the blob failed its integrity check")
                .satisfies(e -> assertThat(((SealException) e).reason()).isEqualTo(SealException.Reason.INTEGRITY));
        ct[3] ^= 1;
        assertThatThrownBy(() -> Envelope.open("awskms", key, iv, ct, aad)).isInstanceOf(SealException.class);
    }

    @Test
    void aBlobWithAWrongSizedKeyOrIv_isReportedCorrupt() {
        assertThatThrownBy(() -> Envelope.open("gcpckms", new byte[16], new byte[12], new byte[32], aad))
                .isInstanceOf(SealException.class).hasMessageContaining("16-byte data key").hasMessageContaining("corrupt");
    }

    @Test
    void aadDigest_isTheSha256OfTheAad_andANullAadDigestsLikeAnEmptyOne() {
        assertThat(HexFormat.of().formatHex(Envelope.aadDigest("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Envelope.aadDigest(null)).isEqualTo(Envelope.aadDigest(new byte[0])).hasSize(32);
    }
}
