package dev.coffer.barrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.barrier.SecurityBarrier.RotationConfig;
import dev.coffer.storage.StorageBackend;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import dev.coffer.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AesGcmBarrierTest {

    private static final byte[] PLAINTEXT = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

    private final MapStorage storage = new MapStorage();
    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));
    private final AesGcmBarrier barrier = new AesGcmBarrier(storage, random, clock);
    private byte[] rootKey;

    @BeforeEach
    void initializedAndUnsealed() {
        rootKey = newKey();
        barrier.initialize(rootKey);
        barrier.unseal(rootKey);
    }

    private byte[] newKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    private AesGcmBarrier secondNode() {
        AesGcmBarrier node = new AesGcmBarrier(storage, random, clock);
        node.unseal(rootKey);
        return node;
    }

    private static int storedTerm(byte[] stored) {
        return ((stored[0] & 0xff) << 24) | ((stored[1] & 0xff) << 16) | ((stored[2] & 0xff) << 8) | (stored[3] & 0xff);
    }

    // ---- format and integrity ---------------------------------------------------------------------------

    @Test
    void putGet_roundTrips_andRawBytesNeverContainThePlaintext() {
        barrier.put("secret/a", PLAINTEXT);

        byte[] raw = storage.entries.get("secret/a");
        assertThat(raw).hasSize(4 + 1 + 12 + PLAINTEXT.length + 16);
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("horse");
        assertThat(raw[4]).isEqualTo((byte) 2);
        assertThat(storedTerm(raw)).isEqualTo(1);
        assertThat(barrier.get("secret/a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(PLAINTEXT));
    }

    @Test
    void keysAndRootKey_neverAppearInStorage() {
        byte[] keyringKey = barrier.keyringKeyBytesForTesting().get(0);

        for (byte[] raw : storage.entries.values()) {
            assertThat(indexOf(raw, rootKey)).isNegative();
            assertThat(indexOf(raw, keyringKey)).isNegative();
        }
    }

    @Test
    void writeAll_encryptsEachValueForItsOwnPath_andHandsStorageOneBatch() {
        barrier.put("secret/old", PLAINTEXT);
        byte[] other = "another secret value".getBytes(StandardCharsets.UTF_8);

        barrier.writeAll(List.of(StorageBackend.Write.put("secret/a", PLAINTEXT), StorageBackend.Write.put("secret/b", other),
                StorageBackend.Write.delete("secret/old")));

        assertThat(storage.batches).containsExactly(List.of("secret/a", "secret/b", "secret/old"));
        assertThat(barrier.get("secret/a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(PLAINTEXT));
        assertThat(barrier.get("secret/b")).hasValueSatisfying(v -> assertThat(v).isEqualTo(other));
        assertThat(barrier.get("secret/old")).isEmpty();
        assertThat(new String(storage.entries.get("secret/a"), StandardCharsets.ISO_8859_1)).doesNotContain("horse");
        // each value is bound to its own path: swapped, neither decrypts
        byte[] rawA = storage.entries.get("secret/a");
        storage.entries.put("secret/a", storage.entries.get("secret/b"));
        storage.entries.put("secret/b", rawA);
        assertThatThrownBy(() -> barrier.get("secret/a")).isInstanceOf(CofferException.Internal.class);
        assertThatThrownBy(() -> barrier.get("secret/b")).isInstanceOf(CofferException.Internal.class);
    }

    @Test
    void writeAll_namingAReservedPath_writesNothing() {
        assertThatThrownBy(() -> barrier.writeAll(List.of(StorageBackend.Write.put("secret/a", PLAINTEXT),
                StorageBackend.Write.put(StoragePaths.KEYRING, PLAINTEXT))))
                .isInstanceOf(CofferException.BadRequest.class);

        assertThat(storage.entries).doesNotContainKey("secret/a");
        assertThat(storage.batches).isEmpty();
    }

    @Test
    void writeAll_whileSealed_isRefused() {
        barrier.seal();

        assertThatThrownBy(() -> barrier.writeAll(List.of(StorageBackend.Write.delete("secret/a"))))
                .isInstanceOf(CofferException.Sealed.class);
        assertThat(storage.batches).isEmpty();
    }

    @Test
    void flippingAnyByteOfAStoredValue_failsDecryption() {
        barrier.put("secret/short", new byte[] {1, 2, 3});
        byte[] original = storage.entries.get("secret/short");

        for (int i = 0; i < original.length; i++) {
            byte[] tampered = original.clone();
            tampered[i] ^= 0x01;
            storage.entries.put("secret/short", tampered);
            final int position = i;
            assertThatThrownBy(() -> barrier.get("secret/short")).as("flipped byte %d", position)
                    .isInstanceOf(CofferException.Internal.class);
        }
    }

    @Test
    void truncatedValue_failsDecryption() {
        barrier.put("secret/t", PLAINTEXT);
        byte[] raw = storage.entries.get("secret/t");
        storage.entries.put("secret/t", java.util.Arrays.copyOf(raw, 20));

        assertThatThrownBy(() -> barrier.get("secret/t")).isInstanceOf(CofferException.Internal.class)
                .hasMessageContaining("too short");
    }

    @Test
    void valueCopiedToAnotherPath_failsDecryption() {
        barrier.put("secret/a", PLAINTEXT);
        storage.entries.put("secret/b", storage.entries.get("secret/a"));

        assertThatThrownBy(() -> barrier.get("secret/b")).isInstanceOf(CofferException.Internal.class)
                .hasMessageContaining("moved from another path");
    }

    @Test
    void sameValueWrittenTwice_usesDifferentNonces() {
        barrier.put("a", PLAINTEXT);
        barrier.put("b", PLAINTEXT);

        byte[] nonceA = java.util.Arrays.copyOfRange(storage.entries.get("a"), 5, 17);
        byte[] nonceB = java.util.Arrays.copyOfRange(storage.entries.get("b"), 5, 17);
        assertThat(nonceA).isNotEqualTo(nonceB);
    }

    @Test
    void missingPath_isEmpty_andDeleteAndListWork() {
        barrier.put("dir/x", PLAINTEXT);
        barrier.put("dir/sub/y", PLAINTEXT);

        assertThat(barrier.get("dir/none")).isEmpty();
        assertThat(barrier.list("dir/")).containsExactly("sub/", "x");
        barrier.delete("dir/x");
        assertThat(barrier.get("dir/x")).isEmpty();
    }

    @Test
    void reservedPaths_cannotBeWrittenThroughTheBarrier() {
        for (String path : StoragePaths.RESERVED) {
            assertThatThrownBy(() -> barrier.put(path, PLAINTEXT)).as(path).isInstanceOf(CofferException.BadRequest.class);
            assertThatThrownBy(() -> barrier.delete(path)).as(path).isInstanceOf(CofferException.BadRequest.class);
        }
    }

    // ---- lifecycle --------------------------------------------------------------------------------------

    @Test
    void initialize_storesKeyringAndRootKey_andRefusesASecondTime() {
        assertThat(barrier.initialized()).isTrue();
        assertThat(storage.entries).containsKeys(StoragePaths.KEYRING, StoragePaths.ROOT_KEY);
        assertThat(storedTerm(storage.entries.get(StoragePaths.KEYRING))).isZero();
        assertThat(storedTerm(storage.entries.get(StoragePaths.ROOT_KEY))).isEqualTo(1);

        assertThatThrownBy(() -> barrier.initialize(newKey())).isInstanceOf(CofferException.Conflict.class);
    }

    @Test
    void initialize_leavesTheBarrierSealed() {
        AesGcmBarrier fresh = new AesGcmBarrier(new MapStorage());

        assertThat(fresh.initialized()).isFalse();
        fresh.initialize(newKey());

        assertThat(fresh.initialized()).isTrue();
        assertThat(fresh.sealed()).isTrue();
    }

    @Test
    void unsealOfAnUninitializedBarrier_fails() {
        assertThatThrownBy(() -> new AesGcmBarrier(new MapStorage()).unseal(newKey()))
                .isInstanceOf(CofferException.Uninitialized.class);
    }

    @Test
    void sealedBarrier_refusesEveryDataOperation() {
        barrier.put("a", PLAINTEXT);

        barrier.seal();

        assertThat(barrier.sealed()).isTrue();
        assertThatThrownBy(() -> barrier.get("a")).isInstanceOf(CofferException.Sealed.class);
        assertThatThrownBy(() -> barrier.put("a", PLAINTEXT)).isInstanceOf(CofferException.Sealed.class);
        assertThatThrownBy(() -> barrier.delete("a")).isInstanceOf(CofferException.Sealed.class);
        assertThatThrownBy(() -> barrier.list("")).isInstanceOf(CofferException.Sealed.class);
        assertThatThrownBy(barrier::rotate).isInstanceOf(CofferException.Sealed.class);
        assertThatThrownBy(barrier::keyStatus).isInstanceOf(CofferException.Sealed.class);
        assertThat(storage.entries).containsKey("a");
    }

    @Test
    void seal_zeroesTheRootKeyAndEveryKeyringKey() {
        barrier.rotate();
        byte[] liveRootKey = barrier.rootKeyBytesForTesting();
        List<byte[]> liveKeyringKeys = barrier.keyringKeyBytesForTesting();
        assertThat(liveRootKey).isEqualTo(rootKey);

        barrier.seal();

        assertThat(liveRootKey).containsOnly(0);
        assertThat(liveKeyringKeys).hasSize(2).allSatisfy(k -> assertThat(k).containsOnly(0));
        barrier.seal(); // idempotent
    }

    @Test
    void unsealAfterSeal_readsOldValuesAgain() {
        barrier.put("a", PLAINTEXT);
        barrier.seal();

        barrier.unseal(rootKey);

        assertThat(barrier.get("a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(PLAINTEXT));
    }

    @Test
    void unsealWithAWrongRootKey_fails_andStaysSealed() {
        barrier.seal();

        assertThatThrownBy(() -> barrier.unseal(newKey())).isInstanceOf(CofferException.Internal.class)
                .hasMessageContaining("root key does not decrypt the keyring");
        assertThat(barrier.sealed()).isTrue();
    }

    @Test
    void rootKeysOfTheWrongLength_areRejected() {
        assertThatThrownBy(() -> barrier.unseal(new byte[16])).isInstanceOf(CofferException.BadRequest.class);
        assertThatThrownBy(() -> barrier.rekeyRootKey(new byte[31])).isInstanceOf(CofferException.BadRequest.class);
    }

    // ---- rotation ---------------------------------------------------------------------------------------

    @Test
    void rotate_keepsOldValuesReadable_andNewWritesUseTheNewTerm() {
        barrier.put("old", PLAINTEXT);

        int term = barrier.rotate();

        assertThat(term).isEqualTo(2);
        barrier.put("new", PLAINTEXT);
        assertThat(storedTerm(storage.entries.get("old"))).isEqualTo(1);
        assertThat(storedTerm(storage.entries.get("new"))).isEqualTo(2);
        assertThat(storedTerm(storage.entries.get(StoragePaths.ROOT_KEY))).isEqualTo(2);
        assertThat(barrier.get("old")).hasValueSatisfying(v -> assertThat(v).isEqualTo(PLAINTEXT));
        assertThat(barrier.get("new")).hasValueSatisfying(v -> assertThat(v).isEqualTo(PLAINTEXT));
        assertThat(barrier.keyStatus().term()).isEqualTo(2);
    }

    @Test
    void rotation_survivesSealAndUnseal() {
        barrier.rotate();
        barrier.put("x", PLAINTEXT);
        barrier.seal();

        barrier.unseal(rootKey);

        assertThat(barrier.keyStatus().term()).isEqualTo(2);
        assertThat(barrier.get("x")).isPresent();
    }

    @Test
    void keyStatus_countsEncryptionsOfTheActiveTerm() {
        Instant installed = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        barrier.put("a", PLAINTEXT);
        barrier.put("b", PLAINTEXT);

        SecurityBarrier.KeyStatus status = barrier.keyStatus();

        assertThat(status.term()).isEqualTo(1);
        assertThat(status.installTime()).isEqualTo(installed);
        assertThat(status.encryptions()).isEqualTo(2);
    }

    @Test
    void rotateIfDue_rotatesOnceTheOperationCountIsReached() {
        barrier.setRotationConfig(new RotationConfig(3, Duration.ZERO, true));
        long before = barrier.keyStatus().encryptions(); // the config write itself is one encryption
        for (long i = before; i < 3; i++) {
            assertThat(barrier.rotateIfDue()).isFalse();
            barrier.put("k" + i, PLAINTEXT);
        }

        assertThat(barrier.rotateIfDue()).isTrue();
        assertThat(barrier.keyStatus().term()).isEqualTo(2);
        assertThat(barrier.keyStatus().encryptions()).isZero();
        assertThat(barrier.rotateIfDue()).isFalse();
    }

    @Test
    void rotateIfDue_savesTheEncryptionCount_soARestartDoesNotResetIt() {
        for (int i = 0; i < 5; i++) {
            barrier.put("k" + i, PLAINTEXT);
        }
        long count = barrier.keyStatus().encryptions();
        assertThat(secondNode().keyStatus().encryptions()).as("not saved yet").isLessThan(count);

        assertThat(barrier.rotateIfDue()).isFalse();

        assertThat(secondNode().keyStatus().encryptions()).isEqualTo(count);
    }

    @Test
    void rotateIfDue_rotatesOnceTheIntervalHasPassed() {
        barrier.setRotationConfig(new RotationConfig(RotationConfig.DEFAULT_MAX_OPERATIONS, Duration.ofHours(24), true));
        clock.advance(Duration.ofHours(23));
        assertThat(barrier.rotateIfDue()).isFalse();

        clock.advance(Duration.ofHours(1));

        assertThat(barrier.rotateIfDue()).isTrue();
        assertThat(barrier.keyStatus().installTime()).isEqualTo(clock.instant());
    }

    @Test
    void rotateIfDue_doesNothingWhenDisabled() {
        barrier.setRotationConfig(new RotationConfig(1, Duration.ofHours(24), false));
        barrier.put("a", PLAINTEXT);
        clock.advance(Duration.ofDays(30));

        assertThat(barrier.rotateIfDue()).isFalse();
    }

    @Test
    void rotationConfig_defaultsUntilSet_andIsStoredEncrypted() {
        assertThat(barrier.rotationConfig()).isEqualTo(RotationConfig.defaults());
        RotationConfig config = new RotationConfig(1_000_000, Duration.ofDays(7), true);

        barrier.setRotationConfig(config);

        assertThat(barrier.rotationConfig()).isEqualTo(config);
        assertThat(new String(storage.entries.get(StoragePaths.ROTATION_CONFIG), StandardCharsets.ISO_8859_1))
                .doesNotContain("max_operations");
        assertThat(secondNode().rotationConfig()).isEqualTo(config);
    }

    @Test
    void rotationConfig_rejectsIntervalsBelow24Hours_andBadOperationCounts() {
        for (RotationConfig bad : List.of(new RotationConfig(10, Duration.ofHours(23), true),
                new RotationConfig(10, Duration.ofSeconds(-1), true),
                new RotationConfig(0, Duration.ZERO, true),
                new RotationConfig(RotationConfig.DEFAULT_MAX_OPERATIONS + 1, Duration.ZERO, true))) {
            assertThatThrownBy(() -> barrier.setRotationConfig(bad)).as(bad.toString())
                    .isInstanceOf(CofferException.BadRequest.class);
        }
        barrier.setRotationConfig(new RotationConfig(10, Duration.ofHours(24), true));
    }

    // ---- standbys: another node rotates or rekeys ---------------------------------------------------------

    @Test
    void reloadKeyring_picksUpARotationByAnotherNode() {
        AesGcmBarrier standby = secondNode();
        int newTerm = barrier.rotate();
        barrier.put("written-after-rotation", PLAINTEXT);
        assertThatThrownBy(() -> standby.get("written-after-rotation")).isInstanceOf(CofferException.Internal.class)
                .hasMessageContaining("reload the keyring");

        standby.reloadKeyring();

        assertThat(standby.keyStatus().term()).isEqualTo(newTerm);
        assertThat(standby.get("written-after-rotation")).hasValueSatisfying(v -> assertThat(v).isEqualTo(PLAINTEXT));
    }

    @Test
    void reloadKeyring_followsARootKeyRekeyByAnotherNode() {
        AesGcmBarrier standby = secondNode();
        byte[] newRootKey = newKey();
        barrier.rekeyRootKey(newRootKey);
        byte[] standbyOldRoot = standby.rootKeyBytesForTesting();

        standby.reloadKeyring();

        assertThat(standby.rootKeyBytesForTesting()).isEqualTo(newRootKey);
        assertThat(standbyOldRoot).containsOnly(0);
        barrier.put("a", PLAINTEXT);
        assertThat(standby.get("a")).isPresent();
    }

    @Test
    void reloadKeyring_followsARotationFollowedByARekey() {
        AesGcmBarrier standby = secondNode();
        barrier.rotate();
        byte[] newRootKey = newKey();
        barrier.rekeyRootKey(newRootKey);

        // ROOT_KEY is now under term 2, which the standby does not have: it must be unsealed again
        assertThatThrownBy(standby::reloadKeyring).isInstanceOf(CofferException.Internal.class)
                .hasMessageContaining("seal and unseal this node");
        assertThat(standby.sealed()).isFalse();
    }

    @Test
    void rekeyRootKey_makesTheOldRootKeyUseless() {
        byte[] newRootKey = newKey();
        barrier.put("a", PLAINTEXT);

        barrier.rekeyRootKey(newRootKey);
        barrier.seal();

        assertThatThrownBy(() -> barrier.unseal(rootKey)).isInstanceOf(CofferException.Internal.class);
        barrier.unseal(newRootKey);
        assertThat(barrier.get("a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(PLAINTEXT));
    }

    @Test
    void reloadKeyring_withoutChanges_keepsTheSameKeysAndCount() {
        barrier.put("a", PLAINTEXT);
        List<byte[]> keysBefore = barrier.keyringKeyBytesForTesting();

        barrier.reloadKeyring();

        assertThat(barrier.keyringKeyBytesForTesting().get(0)).isSameAs(keysBefore.get(0));
        assertThat(keysBefore.get(0)).isNotEqualTo(new byte[32]);
        assertThat(barrier.keyStatus().encryptions()).isEqualTo(1);
    }

    @Test
    void concurrentReadsAndWrites_keepWorkingWhileTheKeyringRotatesAndReloads() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            List<java.util.concurrent.Future<Integer>> workers = new java.util.ArrayList<>();
            for (int w = 0; w < 2; w++) {
                String path = "concurrent/" + w;
                workers.add(pool.submit(() -> {
                    int rounds = 0;
                    while (!stop.get()) {
                        barrier.put(path, PLAINTEXT);
                        assertThat(barrier.get(path)).hasValueSatisfying(v -> assertThat(v).isEqualTo(PLAINTEXT));
                        rounds++;
                    }
                    return rounds;
                }));
            }
            for (int i = 0; i < 20; i++) {
                barrier.rotate();
                barrier.reloadKeyring();
            }
            stop.set(true);
            for (java.util.concurrent.Future<Integer> worker : workers) {
                assertThat(worker.get(30, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(barrier.keyStatus().term()).isEqualTo(21);
    }

    @Test
    void manyVirtualThreadsSharingPooledCiphers_eachReadTheirOwnValues() throws Exception {
        int threads = 300; // more than the pool's slots, so some ciphers are made and dropped
        for (int i = 0; i < threads; i++) {
            barrier.put("vt/" + i, ("value " + i).getBytes(StandardCharsets.UTF_8));
        }
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int own = t;
                pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        int n = (own + round) % threads;
                        byte[] read = barrier.get("vt/" + n).orElseThrow();
                        if (!new String(read, StandardCharsets.UTF_8).equals("value " + n)) {
                            wrong.incrementAndGet();
                        }
                        barrier.put("vt-own/" + own, read);
                        Thread.yield();
                    }
                    return null;
                });
            }
        }
        assertThat(wrong).hasValue(0);
        assertThatThrownBy(() -> {
            storage.entries.get("vt/7")[30] ^= 1;
            barrier.get("vt/7");
        }).isInstanceOf(CofferException.Internal.class);
        assertThat(new String(barrier.get("vt/8").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("value 8");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
