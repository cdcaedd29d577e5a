package dev.coffer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.storage.InmemBackend;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class GenerateRootFlowTest {
    private static final String OTP = "A".repeat(GenerateRootFlow.OTP_LENGTH);

    @Test
    void aThresholdOfUnsealKeys_mintsARootToken_encodedWithTheOtp() {
        Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        InitResult r = core.init(new InitRequest(3, 2, 0, 0));
        core.unseal(b64(r.keys().get(0)));
        core.unseal(b64(r.keys().get(1)));

        assertThatThrownBy(() -> core.generateRoot().start("short")).isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining(String.valueOf(GenerateRootFlow.OTP_LENGTH));
        GenerateRootFlow.Status s = core.generateRoot().start(OTP);
        assertThat(s.required()).isEqualTo(2);
        assertThatThrownBy(() -> core.generateRoot().update(b64(r.keys().get(0)), "wrong"))
                .hasMessageContaining("nonce");
        GenerateRootFlow.Status mid = core.generateRoot().update(b64(r.keys().get(0)), s.nonce());
        assertThat(mid.progress()).isEqualTo(1);
        assertThat(mid.complete()).isFalse();
        GenerateRootFlow.Status done = core.generateRoot().update(b64(r.keys().get(2)), s.nonce());

        assertThat(done.complete()).isTrue();
        String token = GenerateRootFlow.decode(done.encodedToken(), OTP);
        assertThat(token).startsWith("hvs.");
        assertThat(core.authenticate(token).isRoot()).isTrue();
        assertThat(core.generateRoot().status().started()).isFalse();
    }

    @Test
    void withoutAnOtp_theServerGeneratesOne_andAForeignKeyIsRefused() {
        Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        InitResult r = core.init(new InitRequest(1, 1, 0, 0));
        core.unseal(b64(r.keys().get(0)));
        GenerateRootFlow.Status s = core.generateRoot().start(null);
        assertThat(s.otp()).hasSize(GenerateRootFlow.OTP_LENGTH);
        byte[] foreign = new byte[33];
        assertThatThrownBy(() -> core.generateRoot().update(b64(foreign), s.nonce()))
                .isInstanceOf(CofferException.BadRequest.class);
        core.generateRoot().cancel();
        assertThat(core.generateRoot().status().started()).isFalse();
    }

    private static String b64(byte[] k) {
        return Base64.getEncoder().encodeToString(k);
    }
}
