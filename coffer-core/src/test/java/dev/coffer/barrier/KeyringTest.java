package dev.coffer.barrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class KeyringTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void newTerm_becomesActive_andOldTermsStay() {
        Keyring one = Keyring.create(key(1), T0);

        Keyring two = one.withNewTerm(key(2), T0.plusSeconds(60));

        assertThat(two.activeTerm()).isEqualTo(2);
        assertThat(two.activeInstallTime()).isEqualTo(T0.plusSeconds(60));
        assertThat(two.termNumbers()).containsExactly(1, 2);
        assertThat(two.key(1)).isSameAs(one.key(1));
        assertThat(one.activeTerm()).isEqualTo(1);
    }

    @Test
    void json_roundTripsTermsKeysTimesAndCount() {
        Keyring keyring = Keyring.create(key(1), T0).withNewTerm(key(2), T0.plusSeconds(5));
        keyring.countEncryption();
        keyring.countEncryption();

        Keyring copy = Keyring.fromJson(keyring.toJson());

        assertThat(copy.termNumbers()).containsExactly(1, 2);
        assertThat(copy.key(1).getEncoded()).isEqualTo(key(1));
        assertThat(copy.key(2).getEncoded()).isEqualTo(key(2));
        assertThat(copy.activeInstallTime()).isEqualTo(T0.plusSeconds(5));
        assertThat(copy.activeEncryptions()).isEqualTo(2);
    }

    @Test
    void wipe_zeroesEveryKeyArray() {
        Keyring keyring = Keyring.create(key(7), T0).withNewTerm(key(8), T0);
        var arrays = keyring.keyBytesForTesting();

        keyring.wipe();

        assertThat(arrays).allSatisfy(a -> assertThat(a).containsOnly(0));
    }

    @Test
    void create_copiesTheCallersKey() {
        byte[] mine = key(3);
        Keyring keyring = Keyring.create(mine, T0);

        java.util.Arrays.fill(mine, (byte) 0);

        assertThat(keyring.activeKey().getEncoded()).isEqualTo(key(3));
    }

    @Test
    void keysOfTheWrongLength_areRejected() {
        assertThatThrownBy(() -> Keyring.create(new byte[16], T0)).isInstanceOf(CofferException.BadRequest.class);
    }

    @Test
    void corruptJson_isAnIntegrityFailure() {
        assertThatThrownBy(() -> Keyring.fromJson("{\"version\":1,\"terms\":[{\"term\":1}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CofferException.Internal.class);
        assertThatThrownBy(() -> Keyring.fromJson("nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CofferException.Internal.class);
    }

    @Test
    void toString_neverShowsKeys() {
        assertThat(Keyring.create(key(0x41), T0).toString()).doesNotContain("AAAA").contains("terms=[1]");
    }
}
