package dev.coffer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.barrier.StoragePaths;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.StorageBackend;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoreTest {
    private final StorageBackend storage = new InmemBackend();

    private Core newCore() {
        return new Core(CoreOptions.of(storage, "inmem"));
    }

    private static String b64(byte[] k) {
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void initReturnsSharesAndRootTokenAndLeavesTheVaultSealed() {
        Core core = newCore();
        assertThat(core.initialized()).isFalse();
        InitResult r = core.init(new InitRequest(5, 3, 0, 0));
        assertThat(r.keys()).hasSize(5).allSatisfy(k -> assertThat(k).hasSize(33));
        assertThat(r.rootToken()).startsWith("hvs.");
        assertThat(core.initialized()).isTrue();
        assertThat(core.sealed()).isTrue();
        SealStatus s = core.sealStatus();
        assertThat(s.threshold()).isEqualTo(3);
        assertThat(s.shares()).isEqualTo(5);
        assertThat(s.type()).isEqualTo("shamir");
    }

    @Test
    void secondInitIsRefused() {
        Core core = newCore();
        core.init(new InitRequest(1, 1, 0, 0));
        assertThatThrownBy(() -> core.init(new InitRequest(1, 1, 0, 0)))
                .isInstanceOf(CofferException.Conflict.class).hasMessageContaining("already initialized");
    }

    @Test
    void invalidShareNumbersAreRejectedWithTheirLimits() {
        Core core = newCore();
        assertThatThrownBy(() -> core.init(new InitRequest(0, 0, 0, 0))).isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("secret_shares");
        assertThatThrownBy(() -> core.init(new InitRequest(3, 4, 0, 0))).hasMessageContaining("secret_threshold");
        assertThatThrownBy(() -> core.init(new InitRequest(5, 1, 0, 0))).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> core.init(new InitRequest(256, 3, 0, 0))).hasMessageContaining("255");
        assertThat(core.initialized()).isFalse();
    }

    @Test
    void unsealShowsProgressAndUnsealsAtTheThreshold() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(5, 3, 0, 0));
        SealStatus s1 = core.unseal(b64(r.keys().get(0)));
        assertThat(s1.progress()).isEqualTo(1);
        assertThat(s1.nonce()).isNotEmpty();
        SealStatus s2 = core.unseal(HexFormat.of().formatHex(r.keys().get(3)));
        assertThat(s2.progress()).isEqualTo(2);
        assertThat(s2.nonce()).isEqualTo(s1.nonce());
        SealStatus s3 = core.unseal(b64(r.keys().get(4)));
        assertThat(s3.sealed()).isFalse();
        assertThat(s3.progress()).isZero();
        assertThat(s3.clusterId()).isNotBlank();
        assertThat(core.authenticate(r.rootToken()).isRoot()).isTrue();
    }

    @Test
    void everyThresholdSubsetOfSharesUnseals() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(5, 3, 0, 0));
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                for (int c = b + 1; c < 5; c++) {
                    core.unseal(b64(r.keys().get(a)));
                    core.unseal(b64(r.keys().get(b)));
                    assertThat(core.unseal(b64(r.keys().get(c))).sealed()).as("keys %d,%d,%d", a, b, c).isFalse();
                    core.seal();
                }
            }
        }
    }

    @Test
    void wrongKeyIsRejectedWithoutAdvancingProgress() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(5, 3, 0, 0));
        core.unseal(b64(r.keys().get(0)));
        byte[] wrong = new byte[33];
        new SecureRandom().nextBytes(wrong);
        assertThatThrownBy(() -> core.unseal(b64(wrong))).isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("not one of this vault's 5 unseal keys").hasMessageContaining("1/3");
        assertThatThrownBy(() -> core.unseal("not-a-key!")).isInstanceOf(CofferException.BadRequest.class);
        assertThatThrownBy(() -> core.unseal(b64(new byte[12]))).hasMessageContaining("invalid key length");
        assertThat(core.sealStatus().progress()).isEqualTo(1);
    }

    @Test
    void errorMessagesNeverEchoTheKey() {
        Core core = newCore();
        core.init(new InitRequest(3, 2, 0, 0));
        String garbage = "zzzz-secret-looking-garbage";
        assertThatThrownBy(() -> core.unseal(garbage)).satisfies(e -> assertThat(e.getMessage()).doesNotContain(garbage));
    }

    @Test
    void repeatingTheSameKeyDoesNotCountTwice() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(5, 3, 0, 0));
        core.unseal(b64(r.keys().get(1)));
        core.unseal(b64(r.keys().get(1)));
        assertThat(core.sealStatus().progress()).isEqualTo(1);
        assertThat(core.sealed()).isTrue();
    }

    @Test
    void resetClearsProgressAndNonce() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(5, 3, 0, 0));
        core.unseal(b64(r.keys().get(1)));
        SealStatus s = core.resetUnseal();
        assertThat(s.progress()).isZero();
        assertThat(s.nonce()).isEmpty();
    }

    @Test
    void unsealBeforeInitSaysToInitFirst() {
        assertThatThrownBy(() -> newCore().unseal("abcd")).isInstanceOf(CofferException.Uninitialized.class)
                .hasMessageContaining("operator init");
    }

    @Test
    void sealingRefusesTokensAndDataUntilUnsealedAgain() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(1, 1, 0, 0));
        core.unseal(b64(r.keys().get(0)));
        core.barrier().put("test/value", "hello".getBytes(StandardCharsets.UTF_8));
        core.seal();
        assertThatThrownBy(() -> core.authenticate(r.rootToken())).isInstanceOf(CofferException.Sealed.class);
        assertThatThrownBy(() -> core.barrier().get("test/value")).isInstanceOf(CofferException.Sealed.class);
        core.unseal(b64(r.keys().get(0)));
        assertThat(core.barrier().get("test/value")).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("hello"));
    }

    @Test
    void unknownAndMissingTokensAreDenied() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(1, 1, 0, 0));
        core.unseal(b64(r.keys().get(0)));
        assertThatThrownBy(() -> core.authenticate("hvs.nope")).isInstanceOf(CofferException.PermissionDenied.class);
        assertThatThrownBy(() -> core.authenticate(null)).isInstanceOf(CofferException.PermissionDenied.class)
                .hasMessageContaining("missing client token");
    }

    @Test
    void restartedCoreOnTheSameStorageIsSealedAndKeepsData() {
        Core first = newCore();
        InitResult r = first.init(new InitRequest(3, 2, 0, 0));
        first.unseal(b64(r.keys().get(0)));
        first.unseal(b64(r.keys().get(2)));
        first.barrier().put("test/persisted", new byte[] {1, 2, 3});
        String clusterId = first.sealStatus().clusterId();
        Core second = newCore();
        assertThat(second.initialized()).isTrue();
        assertThat(second.sealed()).isTrue();
        second.unseal(b64(r.keys().get(1)));
        second.unseal(b64(r.keys().get(2)));
        assertThat(second.barrier().get("test/persisted")).hasValue(new byte[] {1, 2, 3});
        assertThat(second.sealStatus().clusterId()).isEqualTo(clusterId);
        assertThat(second.authenticate(r.rootToken()).isRoot()).isTrue();
    }

    @Test
    void rootTokenIsNeverStoredInClear() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(1, 1, 0, 0));
        byte[] token = r.rootToken().getBytes(StandardCharsets.UTF_8);
        for (String key : allKeys("")) {
            assertThat(containsBytes(storage.get(key).orElseThrow(), token)).as(key).isFalse();
        }
    }

    @Test
    void rekeyIssuesNewSharesAndRetiresTheOldOnes() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(3, 2, 0, 0));
        core.unseal(b64(r.keys().get(0)));
        core.unseal(b64(r.keys().get(1)));
        RekeyFlow.Status started = core.rekey().start(4, 3);
        assertThat(started.required()).isEqualTo(2);
        assertThatThrownBy(() -> core.rekey().update(b64(r.keys().get(0)), "wrong-nonce"))
                .hasMessageContaining("nonce");
        RekeyFlow.Status mid = core.rekey().update(b64(r.keys().get(2)), started.nonce());
        assertThat(mid.progress()).isEqualTo(1);
        RekeyFlow.Status done = core.rekey().update(b64(r.keys().get(0)), started.nonce());
        assertThat(done.keys()).hasSize(4);
        core.seal();
        assertThat(core.sealStatus().shares()).isEqualTo(4);
        assertThat(core.sealStatus().threshold()).isEqualTo(3);
        assertThatThrownBy(() -> core.unseal(b64(r.keys().get(0)))).hasMessageContaining("not one of");
        List<byte[]> fresh = new ArrayList<>(done.keys());
        core.unseal(b64(fresh.get(3)));
        core.unseal(b64(fresh.get(0)));
        assertThat(core.unseal(b64(fresh.get(2))).sealed()).isFalse();
    }

    @Test
    void rekeyNeedsAnUnsealedVaultAndRejectsASecondStart() {
        Core core = newCore();
        InitResult r = core.init(new InitRequest(1, 1, 0, 0));
        assertThatThrownBy(() -> core.rekey().start(1, 1)).isInstanceOf(CofferException.Sealed.class);
        core.unseal(b64(r.keys().get(0)));
        core.rekey().start(1, 1);
        assertThatThrownBy(() -> core.rekey().start(1, 1)).isInstanceOf(CofferException.Conflict.class);
        core.rekey().cancel();
        assertThat(core.rekey().status().started()).isFalse();
    }

    @Test
    void devInitUnsealsWithTheRequestedRootToken() {
        Core core = newCore();
        Core.DevInit dev = core.devInit("my-root");
        assertThat(core.sealed()).isFalse();
        assertThat(dev.rootToken()).isEqualTo("my-root");
        assertThat(core.authenticate("my-root").isRoot()).isTrue();
        assertThat(dev.unsealKey()).hasSize(33);
    }

    @Test
    void interruptedInitIsReportedInsteadOfSilentlyRedone() {
        Core core = newCore();
        core.init(new InitRequest(1, 1, 0, 0));
        storage.delete(StoragePaths.SEAL_CONFIG);
        Core again = newCore();
        assertThatThrownBy(() -> again.init(new InitRequest(1, 1, 0, 0))).hasMessageContaining("interrupted");
    }

    private List<String> allKeys(String prefix) {
        List<String> out = new ArrayList<>();
        for (String child : storage.list(prefix)) {
            if (child.endsWith("/")) {
                out.addAll(allKeys(prefix + child));
            } else {
                out.add(prefix + child);
            }
        }
        return out;
    }

    private static boolean containsBytes(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
