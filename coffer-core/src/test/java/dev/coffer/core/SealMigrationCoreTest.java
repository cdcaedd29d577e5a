package dev.coffer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.barrier.StoragePaths;
import dev.coffer.seal.BlobCodec;
import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.TestKms;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.StorageBackend;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SealMigrationCoreTest {
    private final StorageBackend storage = new InmemBackend();
    private final TestKms kmsA = new TestKms();
    private final TestKms kmsB = new TestKms();

    private Core core(KmsWrapper active, KmsWrapper previous) {
        return new Core(CoreOptions.of(storage, "inmem").withAutoSeal(active).withPreviousSeal(previous));
    }

    private static String b64(byte[] k) {
        return Base64.getEncoder().encodeToString(k);
    }

    private String storedSealType() {
        return Json.read(storage.get(StoragePaths.SEAL_CONFIG).orElseThrow(), SealConfig.class, "t").type();
    }

    private String rootBlobType() throws Exception {
        UnsealKeysEntry e = Json.read(storage.get(StoragePaths.BARRIER_UNSEAL_KEYS).orElseThrow(), UnsealKeysEntry.class, "r");
        return BlobCodec.decode(e.blob()).wrapperType();
    }

    /** Shamir-initialized vault with a value written; returns the unseal keys (5, threshold 3). */
    private List<byte[]> shamirVaultWithData() {
        Core c = core(null, null);
        InitResult r = c.init(new InitRequest(5, 3, 0, 0));
        for (int i = 0; i < 3; i++) {
            c.unseal(b64(r.keys().get(i)));
        }
        c.barrier().put("test/value", new byte[] {42});
        return r.keys();
    }

    /** Auto-sealed (kmsA) vault with a value written; returns the recovery keys (5, threshold 3). */
    private List<byte[]> autoVaultWithData() {
        Core c = core(kmsA, null);
        InitResult r = c.init(new InitRequest(0, 0, 5, 3));
        c.barrier().put("test/value", new byte[] {42});
        return r.recoveryKeys();
    }

    @Test
    void shamirToAuto_unsealKeysBecomeRecoveryKeys() throws Exception {
        List<byte[]> keys = shamirVaultWithData();
        Core c = core(kmsA, null);
        SealStatus s = c.sealStatus();
        assertThat(s.sealed()).isTrue();
        assertThat(s.migration()).isTrue();
        assertThat(s.type()).isEqualTo("shamir");
        assertThat(s.threshold()).isEqualTo(3);
        assertThat(c.autoUnseal()).isFalse();
        // without -migrate: refused, no progress
        assertThatThrownBy(() -> c.unseal(b64(keys.get(0)))).isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("-migrate");
        assertThat(c.sealStatus().progress()).isZero();
        // a key that is not one of the unseal keys: rejected without progress
        assertThatThrownBy(() -> c.unseal(b64(new byte[33]), true)).isInstanceOf(CofferException.BadRequest.class);
        assertThat(c.sealStatus().progress()).isZero();
        c.unseal(b64(keys.get(1)), true);
        c.unseal(b64(keys.get(3)), true);
        s = c.unseal(b64(keys.get(4)), true);
        assertThat(s.sealed()).isFalse();
        assertThat(s.migration()).isFalse();
        assertThat(s.type()).isEqualTo("test-kms");
        assertThat(s.recoverySeal()).isTrue();
        assertThat(s.shares()).isEqualTo(5);
        assertThat(s.threshold()).isEqualTo(3);
        assertThat(storedSealType()).isEqualTo("test-kms");
        assertThat(rootBlobType()).isEqualTo("test-kms");
        assertThat(c.barrier().get("test/value")).hasValue(new byte[] {42});

        // restart: unseals itself through the KMS
        Core restarted = core(kmsA, null);
        assertThat(restarted.autoUnseal()).isTrue();
        assertThat(restarted.barrier().get("test/value")).hasValue(new byte[] {42});
        // the old unseal keys are the recovery keys now
        restarted.seal();
        restarted.unseal(b64(keys.get(0)));
        restarted.unseal(b64(keys.get(2)));
        assertThat(restarted.unseal(b64(keys.get(4))).sealed()).isFalse();
        assertThat(restarted.barrier().get("test/value")).hasValue(new byte[] {42});
    }

    @Test
    void autoToShamir_recoveryKeysBecomeUnsealKeys() throws Exception {
        List<byte[]> recovery = autoVaultWithData();
        Core c = core(null, kmsA);
        SealStatus s = c.sealStatus();
        assertThat(s.sealed()).isTrue();
        assertThat(s.migration()).isTrue();
        assertThat(s.type()).isEqualTo("test-kms");
        assertThat(c.autoUnseal()).isFalse();
        c.unseal(b64(recovery.get(0)), true);
        c.unseal(b64(recovery.get(1)), true);
        s = c.unseal(b64(recovery.get(2)), true);
        assertThat(s.sealed()).isFalse();
        assertThat(s.type()).isEqualTo("shamir");
        assertThat(s.recoverySeal()).isFalse();
        assertThat(storedSealType()).isEqualTo("shamir");
        assertThat(rootBlobType()).isEqualTo("shamir");
        assertThat(storage.get(StoragePaths.RECOVERY_KEY)).isEmpty();
        assertThat(c.barrier().get("test/value")).hasValue(new byte[] {42});

        // restart with no seal stanza at all: the former recovery keys unseal
        Core restarted = core(null, null);
        assertThat(restarted.sealStatus().sealed()).isTrue();
        assertThat(restarted.sealStatus().shares()).isEqualTo(5);
        restarted.unseal(b64(recovery.get(4)));
        restarted.unseal(b64(recovery.get(3)));
        assertThat(restarted.unseal(b64(recovery.get(1))).sealed()).isFalse();
        assertThat(restarted.barrier().get("test/value")).hasValue(new byte[] {42});
    }

    @Test
    void autoToAuto_betweenTwoKeys_recoveryKeysCarryOver() throws Exception {
        List<byte[]> recovery = autoVaultWithData();
        Core c = core(kmsB, kmsA);
        assertThat(c.sealStatus().migration()).isTrue();
        assertThat(c.autoUnseal()).isFalse();
        // wrong recovery key (not one of the shares): rejected without progress
        byte[] bogus = recovery.get(0).clone();
        bogus[5] ^= 1;
        assertThatThrownBy(() -> c.unseal(b64(bogus), true)).hasMessageContaining("not one of this vault's");
        assertThat(c.sealStatus().progress()).isZero();
        c.unseal(b64(recovery.get(0)), true);
        c.unseal(b64(recovery.get(1)), true);
        assertThat(c.unseal(b64(recovery.get(2)), true).sealed()).isFalse();
        assertThat(c.barrier().get("test/value")).hasValue(new byte[] {42});

        // the old key is gone: the new one alone unseals, and the recovery keys still work
        kmsA.disable("v1");
        Core restarted = core(kmsB, null);
        assertThat(restarted.autoUnseal()).isTrue();
        restarted.seal();
        restarted.unseal(b64(recovery.get(2)));
        restarted.unseal(b64(recovery.get(3)));
        assertThat(restarted.unseal(b64(recovery.get(4))).sealed()).isFalse();
        assertThat(restarted.barrier().get("test/value")).hasValue(new byte[] {42});

        // the disabled stanza left in place after the migration: no migration pending, auto-unseals
        kmsA.heal();
        Core leftover = core(kmsB, kmsA);
        assertThat(leftover.sealStatus().migration()).isFalse();
        assertThat(leftover.autoUnseal()).isTrue();
    }

    @Test
    void missingOldSeal_explainsWhatToDo() {
        List<byte[]> recovery = autoVaultWithData();
        Core c = core(null, null);
        SealStatus s = c.sealStatus();
        assertThat(s.sealed()).isTrue();
        assertThat(s.migration()).isFalse();
        assertThat(s.type()).isEqualTo("test-kms");
        assertThat(s.autoUnsealError()).isEqualTo("storage was initialized with the test-kms seal; add that seal stanza "
                + "back, or mark it disabled = \"true\" to migrate to shamir");
        assertThatThrownBy(() -> c.unseal(b64(recovery.get(0)))).isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("disabled = \"true\"");
    }

    @Test
    void migrateFlagWithoutPendingMigration_isRefused() {
        List<byte[]> keys = shamirVaultWithData();
        Core c = core(null, null);
        assertThatThrownBy(() -> c.unseal(b64(keys.get(0)), true)).hasMessageContaining("no seal migration is pending");
        assertThat(c.sealStatus().progress()).isZero();
    }

    @Test
    void shamirToAuto_resumesAfterACrashBeforeTheSealConfigWrite() throws Exception {
        List<byte[]> keys = shamirVaultWithData();
        // migrate on a copy of the storage, then roll the seal config back to simulate a crash before the last write
        Core c = core(kmsA, null);
        byte[] oldSealConfig = storage.get(StoragePaths.SEAL_CONFIG).orElseThrow();
        for (int i = 0; i < 3; i++) {
            c.unseal(b64(keys.get(i)), true);
        }
        storage.put(StoragePaths.SEAL_CONFIG, oldSealConfig);
        Core again = core(kmsA, null);
        assertThat(again.sealStatus().migration()).isTrue();
        assertThat(again.sealStatus().threshold()).isEqualTo(3);
        for (int i = 2; i < 5; i++) {
            again.unseal(b64(keys.get(i)), true);
        }
        assertThat(again.sealed()).isFalse();
        assertThat(storedSealType()).isEqualTo("test-kms");
        assertThat(again.barrier().get("test/value")).hasValue(new byte[] {42});
    }

    @Test
    void autoToShamir_resumesAfterACrashBeforeTheSealConfigWrite() throws Exception {
        List<byte[]> recovery = autoVaultWithData();
        byte[] oldSealConfig = storage.get(StoragePaths.SEAL_CONFIG).orElseThrow();
        byte[] oldRecovery = storage.get(StoragePaths.RECOVERY_KEY).orElseThrow();
        byte[] oldRecoveryConfig = storage.get(StoragePaths.RECOVERY_CONFIG).orElseThrow();
        Core c = core(null, kmsA);
        for (int i = 0; i < 3; i++) {
            c.unseal(b64(recovery.get(i)), true);
        }
        // crash right after the root entry was written: seal config and recovery entries still the old ones
        storage.put(StoragePaths.SEAL_CONFIG, oldSealConfig);
        storage.put(StoragePaths.RECOVERY_KEY, oldRecovery);
        storage.put(StoragePaths.RECOVERY_CONFIG, oldRecoveryConfig);
        Core again = core(null, kmsA);
        assertThat(again.sealStatus().migration()).isTrue();
        for (int i = 1; i < 4; i++) {
            again.unseal(b64(recovery.get(i)), true);
        }
        assertThat(again.sealed()).isFalse();
        assertThat(storedSealType()).isEqualTo("shamir");
        assertThat(again.barrier().get("test/value")).hasValue(new byte[] {42});
    }
}
