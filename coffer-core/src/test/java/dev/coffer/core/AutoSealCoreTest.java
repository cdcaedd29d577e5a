package dev.coffer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.barrier.StoragePaths;
import dev.coffer.seal.BlobCodec;
import dev.coffer.seal.SealException;
import dev.coffer.seal.TestKms;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.StorageBackend;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoSealCoreTest {
    private final StorageBackend storage = new InmemBackend();
    private final TestKms kms = new TestKms();

    private Core newCore() {
        return new Core(CoreOptions.of(storage, "inmem").withAutoSeal(kms));
    }

    private static String b64(byte[] k) {
        return Base64.getEncoder().encodeToString(k);
    }

    private String storedKeyVersion(String path) throws SealException {
        UnsealKeysEntry e = Json.read(storage.get(path).orElseThrow(), UnsealKeysEntry.class, path);
        return BlobCodec.decode(e.blob()).keyId();
    }

    @Test
    void initReturnsRecoveryKeysAndUnsealsAtOnce() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(0, 0, 5, 3));
        assertThat(r.keys()).isEmpty();
        assertThat(r.recoveryKeys()).hasSize(5);
        assertThat(core.sealed()).isFalse();
        SealStatus s = core.sealStatus();
        assertThat(s.type()).isEqualTo("test-kms");
        assertThat(s.recoverySeal()).isTrue();
        assertThat(s.recoverySealType()).isEqualTo("shamir");
        assertThat(s.shares()).isEqualTo(5);
        assertThat(s.threshold()).isEqualTo(3);
        assertThat(core.authenticate(r.rootToken()).isRoot()).isTrue();
    }

    @Test
    void restartedNodeUnsealsItselfThroughTheKms() throws Exception {
        Core first = newCore();
        first.init(new InitRequest(0, 0, 3, 2));
        first.barrier().put("test/value", new byte[] {7});
        Core second = newCore();
        assertThat(second.sealed()).isTrue();
        assertThat(second.autoUnseal()).isTrue();
        assertThat(second.barrier().get("test/value")).hasValue(new byte[] {7});
    }

    @Test
    void kmsOutageAtStartupKeepsTheNodeSealedAndSaysWhy() throws Exception {
        newCore().init(new InitRequest(0, 0, 3, 2));
        Core restarted = newCore();
        kms.failWith(SealException.Reason.PERMISSION_DENIED);
        assertThatThrownBy(restarted::autoUnseal).isInstanceOf(SealException.class);
        assertThat(restarted.sealed()).isTrue();
        assertThat(restarted.sealStatus().autoUnsealError()).contains("PERMISSION_DENIED");
        kms.heal();
        assertThat(restarted.autoUnseal()).isTrue();
        assertThat(restarted.sealStatus().autoUnsealError()).isNull();
    }

    @Test
    void afterAnOperatorSealRecoveryKeysAreNeededAndWrongOnesAreRefused() throws Exception {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(0, 0, 5, 3));
        core.seal();
        assertThat(core.autoUnseal()).as("an operator's seal is not undone by the KMS").isFalse();
        byte[] wrong = new byte[33];
        new java.security.SecureRandom().nextBytes(wrong);
        assertThatThrownBy(() -> core.unseal(b64(wrong))).hasMessageContaining("recovery keys");
        core.unseal(b64(r.recoveryKeys().get(4)));
        core.unseal(b64(r.recoveryKeys().get(0)));
        assertThat(core.sealStatus().progress()).isEqualTo(2);
        assertThat(core.unseal(b64(r.recoveryKeys().get(2))).sealed()).isFalse();
    }

    @Test
    void kmsKeyRotationRewrapsTheStoredKeysAndTheOldVersionCanThenBeDisabled() throws Exception {
        newCore().init(new InitRequest(0, 0, 3, 2));
        assertThat(storedKeyVersion(StoragePaths.BARRIER_UNSEAL_KEYS)).isEqualTo("v1");
        String v2 = kms.rotate();
        Core restarted = newCore();
        assertThat(restarted.autoUnseal()).isTrue();
        assertThat(storedKeyVersion(StoragePaths.BARRIER_UNSEAL_KEYS)).isEqualTo(v2);
        assertThat(storedKeyVersion(StoragePaths.RECOVERY_KEY)).isEqualTo(v2);
        kms.disable("v1");
        assertThat(newCore().autoUnseal()).isTrue();
    }

    @Test
    void generateRootIsAuthorizedByRecoveryKeys() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(0, 0, 3, 2));
        var started = core.generateRoot().start(null);
        String otp = started.otp();
        byte[] wrong = new byte[33];
        new java.security.SecureRandom().nextBytes(wrong);
        assertThatThrownBy(() -> core.generateRoot().update(b64(wrong), started.nonce()))
                .hasMessageContaining("recovery keys");
        core.generateRoot().update(b64(r.recoveryKeys().get(2)), started.nonce());
        var done = core.generateRoot().update(b64(r.recoveryKeys().get(0)), started.nonce());
        assertThat(done.complete()).isTrue();
        String token = GenerateRootFlow.decode(done.encodedToken(), otp);
        assertThat(core.authenticate(token).isRoot()).isTrue();
    }

    @Test
    void barrierRekeyIsRefusedAndRecoveryRekeyReplacesTheRecoveryKeys() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(0, 0, 3, 2));
        assertThatThrownBy(() -> core.rekey().start(3, 2)).isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("recovery");
        var started = core.recoveryRekey().start(2, 2);
        core.recoveryRekey().update(b64(r.recoveryKeys().get(0)), started.nonce());
        var done = core.recoveryRekey().update(b64(r.recoveryKeys().get(1)), started.nonce());
        List<byte[]> fresh = done.keys();
        assertThat(fresh).hasSize(2);
        core.seal();
        assertThatThrownBy(() -> core.unseal(b64(r.recoveryKeys().get(0)))).hasMessageContaining("not one of");
        core.unseal(b64(fresh.get(0)));
        assertThat(core.unseal(b64(fresh.get(1))).sealed()).isFalse();
    }
}
