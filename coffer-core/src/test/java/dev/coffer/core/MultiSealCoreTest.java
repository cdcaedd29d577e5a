package dev.coffer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coffer.barrier.StoragePaths;
import dev.coffer.seal.BlobCodec;
import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.MultiSeal;
import dev.coffer.seal.MultiSealBlob;
import dev.coffer.seal.SealException;
import dev.coffer.seal.TestKms;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.StorageBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several auto seals at once (enable_multiseal): the root key wrapped by each, any one unseals. */
class MultiSealCoreTest {
    private final StorageBackend storage = new InmemBackend();
    private final TestKms a = new TestKms();
    private final TestKms b = new TestKms();
    private final List<Core> cores = new ArrayList<>();

    @AfterEach
    void closeCores() {
        cores.forEach(Core::close);
    }

    private Core core(MultiSeal.Member... members) {
        return core(new MultiSeal(List.of(members)));
    }

    private Core core(dev.coffer.seal.KmsWrapper seal) {
        Core c = new Core(CoreOptions.of(storage, "inmem").withAutoSeal(seal));
        cores.add(c);
        return c;
    }

    private Core bothSeals() {
        return core(new MultiSeal.Member("a", 1, a), new MultiSeal.Member("b", 2, b));
    }

    /** name -> key id of each copy stored at {@code path}. */
    private Map<String, String> copies(String path) throws SealException {
        UnsealKeysEntry e = Json.read(storage.get(path).orElseThrow(), UnsealKeysEntry.class, path);
        BlobInfo blob = BlobCodec.decode(e.blob());
        return MultiSealBlob.copies(blob).stream().collect(Collectors.toMap(MultiSealBlob.Copy::name,
                MultiSealBlob.Copy::keyId, (x, y) -> x, java.util.LinkedHashMap::new));
    }

    private static Map<String, SealHealthMonitor.Health> health(Core core) {
        return core.sealHealth().orElseThrow().backends().stream()
                .collect(Collectors.toMap(SealHealthMonitor.Backend::name, SealHealthMonitor.Backend::health));
    }

    @Test
    void initWrapsTheRootKeyAndRecoveryKeyOncePerSeal() throws Exception {
        Core core = bothSeals();
        core.init(new InitRequest(0, 0, 3, 2));
        assertThat(core.sealed()).isFalse();
        assertThat(copies(StoragePaths.BARRIER_UNSEAL_KEYS)).containsExactly(Map.entry("a", "v1"), Map.entry("b", "v1"));
        assertThat(copies(StoragePaths.RECOVERY_KEY)).containsOnlyKeys("a", "b");
        assertThat(core.sealStatus().type()).as("the highest-priority seal's type").isEqualTo("test-kms");
    }

    @Test
    void eitherSealDownAtStartup_theNodeStillUnsealsItself() throws Exception {
        bothSeals().init(new InitRequest(0, 0, 3, 2)).rootToken();
        a.failWith(SealException.Reason.UNREACHABLE);
        Core first = bothSeals();
        assertThat(first.autoUnseal()).isTrue();
        assertThat(health(first).get("a").healthy()).isFalse();
        assertThat(health(first).get("a").lastError()).contains("UNREACHABLE");
        assertThat(health(first).get("b").healthy()).isTrue();
        assertThat(first.sealHealth().orElseThrow().health().healthy()).as("overall: all must be healthy").isFalse();

        a.heal();
        b.failWith(SealException.Reason.PERMISSION_DENIED);
        assertThat(bothSeals().autoUnseal()).isTrue();
    }

    @Test
    void bothSealsDown_theNodeStaysSealedAndSaysWhyForEach() throws Exception {
        bothSeals().init(new InitRequest(0, 0, 3, 2));
        a.failWith(SealException.Reason.UNREACHABLE);
        b.failWith(SealException.Reason.BAD_CREDENTIALS);
        Core core = bothSeals();
        assertThatThrownBy(core::autoUnseal).isInstanceOf(SealException.class)
                .hasMessageContaining("seal \"a\" (test-kms): UNREACHABLE")
                .hasMessageContaining("seal \"b\" (test-kms): BAD_CREDENTIALS");
        assertThat(core.sealed()).isTrue();
        assertThat(core.sealStatus().autoUnsealError()).contains("seal \"a\"", "seal \"b\"");

        b.heal();
        assertThat(core.autoUnseal()).as("one seal back is enough").isTrue();
    }

    /** A real test KMS that notes each decrypt it is asked for, to see the order seals are tried in. */
    private record Noting(String name, TestKms kms, List<String> log) implements dev.coffer.seal.KmsWrapper {
        @Override public String type() { return kms.type(); }
        @Override public String keyId() { return kms.keyId(); }
        @Override public BlobInfo encrypt(byte[] p, byte[] aad) throws SealException { return kms.encrypt(p, aad); }
        @Override public byte[] decrypt(BlobInfo blob, byte[] aad) throws SealException {
            log.add(name);
            return kms.decrypt(blob, aad);
        }
    }

    @Test
    void sealsAreTriedInPriorityOrder_firstSuccessWins() throws Exception {
        bothSeals().init(new InitRequest(0, 0, 3, 2));
        List<String> tried = new java.util.concurrent.CopyOnWriteArrayList<>();
        Core bFirst = core(new MultiSeal.Member("a", 2, new Noting("a", a, tried)),
                new MultiSeal.Member("b", 1, new Noting("b", b, tried)));
        assertThat(bFirst.autoUnseal()).isTrue();
        assertThat(tried).as("root key, then recovery key during the rewrap check: b only").containsOnly("b");

        tried.clear();
        b.failWith(SealException.Reason.UNREACHABLE);
        Core bFirstDown = core(new MultiSeal.Member("a", 2, new Noting("a", a, tried)),
                new MultiSeal.Member("b", 1, new Noting("b", b, tried)));
        assertThat(bFirstDown.autoUnseal()).isTrue();
        assertThat(tried).startsWith("b", "a");
    }

    @Test
    void addingASealToASingleSealVault_givesItACopyOnUnseal_andTheOldSealCanThenFail() throws Exception {
        Core single = core(a);
        single.init(new InitRequest(0, 0, 3, 2));
        single.close();
        assertThat(copies(StoragePaths.BARRIER_UNSEAL_KEYS)).as("the single-seal layout").containsOnlyKeys("");

        // the new seal gets priority 1 and the same type: the unnamed copy is still read by a
        assertThat(core(new MultiSeal.Member("a", 2, a), new MultiSeal.Member("b", 1, b)).autoUnseal()).isTrue();
        assertThat(copies(StoragePaths.BARRIER_UNSEAL_KEYS)).containsOnlyKeys("b", "a");
        assertThat(copies(StoragePaths.RECOVERY_KEY)).containsOnlyKeys("b", "a");

        a.failWith(SealException.Reason.KEY_NOT_FOUND);
        assertThat(core(new MultiSeal.Member("a", 2, a), new MultiSeal.Member("b", 1, b)).autoUnseal()).isTrue();
    }

    @Test
    void removingASeal_dropsItsCopyOnlyAfterUnsealWithTheOthers() throws Exception {
        bothSeals().init(new InitRequest(0, 0, 3, 2));
        a.failWith(SealException.Reason.UNREACHABLE);
        Core onlyA = core(new MultiSeal.Member("a", 1, a));
        assertThatThrownBy(onlyA::autoUnseal).isInstanceOf(SealException.class);
        assertThat(copies(StoragePaths.BARRIER_UNSEAL_KEYS)).as("nothing dropped while sealed").containsOnlyKeys("a", "b");
        a.heal();
        assertThat(onlyA.autoUnseal()).isTrue();
        assertThat(copies(StoragePaths.BARRIER_UNSEAL_KEYS)).containsOnlyKeys("a");
        assertThat(copies(StoragePaths.RECOVERY_KEY)).containsOnlyKeys("a");
    }

    @Test
    void aSingleSealConfigurationReadsItsCopyOfAMultisealBlob() throws Exception {
        bothSeals().init(new InitRequest(0, 0, 3, 2));
        a.failWith(SealException.Reason.UNREACHABLE);
        Core onlyB = core(b);
        assertThat(onlyB.autoUnseal()).as("b's copy, found among copies of the same type").isTrue();
        assertThat(copies(StoragePaths.BARRIER_UNSEAL_KEYS)).as("back to the single-seal layout").containsOnlyKeys("");
    }

    @Test
    void aRotatedKeyRewrapsOnlyThatSealsCopy() throws Exception {
        bothSeals().init(new InitRequest(0, 0, 3, 2));
        String rotated = b.rotate();
        assertThat(bothSeals().autoUnseal()).isTrue();
        assertThat(copies(StoragePaths.BARRIER_UNSEAL_KEYS)).containsExactly(Map.entry("a", "v1"), Map.entry("b", rotated));
        b.disable("v1");
        a.failWith(SealException.Reason.UNREACHABLE);
        assertThat(bothSeals().autoUnseal()).isTrue();
    }

    @Test
    void aSealDownAtInit_getsItsCopyOnceItRecovers() throws Exception {
        b.failWith(SealException.Reason.THROTTLED);
        Core core = bothSeals();
        core.init(new InitRequest(0, 0, 3, 2));
        assertThat(copies(StoragePaths.BARRIER_UNSEAL_KEYS)).containsOnlyKeys("a");
        assertThat(health(core).get("b").healthy()).isFalse();

        b.heal();
        core.sealHealth().orElseThrow().check();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(copies(StoragePaths.BARRIER_UNSEAL_KEYS))
                .containsOnlyKeys("a", "b"));
        assertThat(copies(StoragePaths.RECOVERY_KEY)).containsOnlyKeys("a", "b");
        assertThat(health(core).values()).allMatch(SealHealthMonitor.Health::healthy);
        a.failWith(SealException.Reason.UNREACHABLE);
        assertThat(bothSeals().autoUnseal()).isTrue();
    }

    @Test
    void recoveryKeysWorkWhileTheFirstSealIsDown() throws Exception {
        InitResult init = bothSeals().init(new InitRequest(0, 0, 3, 2));
        Core core = bothSeals();
        core.autoUnseal();
        core.seal();
        a.failWith(SealException.Reason.UNREACHABLE);
        Function<byte[], String> b64 = k -> Base64.getEncoder().encodeToString(k);
        core.unseal(b64.apply(init.recoveryKeys().get(0)));
        core.unseal(b64.apply(init.recoveryKeys().get(1)));
        assertThat(core.sealed()).isFalse();
    }

    @Test
    void namesAndPrioritiesMustBeUnique() {
        assertThatThrownBy(() -> new MultiSeal(List.of(new MultiSeal.Member("x", 1, a), new MultiSeal.Member("x", 2, b))))
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> new MultiSeal(List.of(new MultiSeal.Member("x", 1, a), new MultiSeal.Member("y", 1, b))))
                .hasMessageContaining("unique");
    }
}
