package dev.coffer.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coffer.CofferException;
import dev.coffer.storage.StorageBackend.Write;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The read cache on its own: bound, copies, absent entries, and coherence with writes that race or fail. */
@Timeout(30)
class ReadCacheTest {

    private final InmemBackend data = new InmemBackend();
    private final Hooked backend = new Hooked(data);
    private final ReadCache cache = active(new ReadCache(backend, 100, key -> key.startsWith("core/")));

    @AfterEach
    void releaseHooks() {
        backend.clear();
    }

    private static ReadCache active(ReadCache cache) {
        cache.activate(() -> true);
        return cache;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static String text(Optional<byte[]> value) {
        return value.map(v -> new String(v, UTF_8)).orElse(null);
    }

    /**
     * Keys that differ only at their end (KV versions) spread over every segment, and the keys of one segment over
     * the buckets of its HashMap (low bits of String.hashCode): with segments chosen by those same bits, each map
     * used one bucket in sixteen and its chains turned into trees.
     */
    @Test
    void keysThatDifferOnlyAtTheEndSpreadOverSegmentsAndTheirBuckets() {
        ReadCache large = new ReadCache(data, ReadCache.DEFAULT_SIZE, key -> false);
        int[] perSegment = new int[16];
        java.util.Set<Integer> bucketsOfSegmentZero = new java.util.HashSet<>();
        for (int v = 1; v <= 4096; v++) {
            String key = "logical/0f3c/versions/app-" + (v % 64) + "/" + v;
            int segment = large.segmentIndex(key);
            perSegment[segment]++;
            if (segment == 0) {
                int h = key.hashCode();
                bucketsOfSegmentZero.add((h ^ (h >>> 16)) & 255); // HashMap's bucket of a 256-bucket table
            }
        }
        assertThat(java.util.Arrays.stream(perSegment).boxed().toList())
                .allSatisfy(n -> assertThat(n).isBetween(4096 / 16 / 2, 4096 / 16 * 2));
        assertThat(bucketsOfSegmentZero).hasSizeGreaterThan(128);
    }

    @Test
    void aSecondReadIsServedFromTheCache() {
        data.put("a", bytes("1"));

        assertThat(text(cache.get("a"))).isEqualTo("1");
        assertThat(text(cache.get("a"))).isEqualTo("1");

        assertThat(backend.gets.get()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void absentEntriesAreCachedAndAWriteReplacesThem() {
        assertThat(cache.get("missing")).isEmpty();
        assertThat(cache.get("missing")).isEmpty();
        assertThat(backend.gets.get()).isEqualTo(1);

        cache.put("missing", bytes("now here"));

        assertThat(text(cache.get("missing"))).isEqualTo("now here");
        assertThat(backend.gets.get()).as("the put wrote through").isEqualTo(1);
    }

    @Test
    void aDeleteDropsTheKeyAndALaterReadCachesTheAbsence() {
        cache.put("a", bytes("1"));
        cache.writeAll(List.of(Write.put("b", bytes("2")), Write.delete("c")));
        assertThat(cache.size()).as("a and b written through; c's deletion not cached").isEqualTo(2);

        cache.delete("a");

        assertThat(cache.size()).as("the deleted key takes no room in the cache").isEqualTo(1);
        assertThat(data.get("a")).isEmpty();
        assertThat(cache.get("a")).isEmpty();
        assertThat(cache.get("a")).isEmpty();
        assertThat(backend.gets.get()).as("the first read after the delete went to the backend, the second not")
                .isEqualTo(1);
        assertThat(text(cache.get("b"))).isEqualTo("2");
        assertThat(backend.gets.get()).isEqualTo(1);
    }

    @Test
    void theLeastRecentlyUsedEntryIsEvictedAtTheBound() {
        ReadCache small = active(new ReadCache(backend, 3, key -> false));
        for (String k : List.of("a", "b", "c", "d")) {
            data.put(k, bytes(k));
        }
        small.get("a");
        small.get("b");
        small.get("c");
        small.get("a"); // a is now more recent than b
        small.get("d"); // evicts b
        assertThat(small.size()).isEqualTo(3);
        int before = backend.gets.get();

        small.get("a");
        small.get("c");
        small.get("d");
        assertThat(backend.gets.get()).isEqualTo(before);
        small.get("b");
        assertThat(backend.gets.get()).isEqualTo(before + 1);
    }

    @Test
    void aLargeCacheNeverHoldsMoreThanItsSize() {
        ReadCache bounded = active(new ReadCache(backend, 2048, key -> false));
        for (int i = 0; i < 6000; i++) {
            bounded.put("k/" + i, bytes(Integer.toString(i)));
            bounded.get("other/" + i);
        }
        assertThat(bounded.size()).isEqualTo(2048);
        int before = backend.gets.get();
        assertThat(text(bounded.get("k/5999"))).isEqualTo("5999");
        assertThat(backend.gets.get()).as("recent: cached").isEqualTo(before);
        assertThat(text(bounded.get("k/0"))).isEqualTo("0");
        assertThat(backend.gets.get()).as("evicted long ago: read again").isEqualTo(before + 1);
    }

    @Test
    void arraysHandedInOrOutAreCopies() {
        byte[] written = bytes("original");
        cache.put("a", written);
        written[0] = 'X';
        byte[] read = cache.get("a").orElseThrow();
        read[1] = 'Y';

        assertThat(text(cache.get("a"))).isEqualTo("original");
        assertThat(cache.get("a").orElseThrow()).isNotSameAs(cache.get("a").orElseThrow());
    }

    @Test
    void anInactiveCacheReadsTheBackendEveryTime() {
        ReadCache inactive = new ReadCache(backend, 10, key -> false);
        data.put("a", bytes("1"));
        inactive.get("a");
        inactive.put("a", bytes("2"));
        assertThat(text(inactive.get("a"))).isEqualTo("2");
        assertThat(backend.gets.get()).isEqualTo(2);
        assertThat(inactive.size()).isZero();
    }

    @Test
    void aGuardThatSaysNoSendsEveryReadToTheBackend() {
        AtomicBoolean valid = new AtomicBoolean(true);
        ReadCache guarded = new ReadCache(backend, 10, key -> false);
        guarded.activate(valid::get);
        guarded.put("a", bytes("cached"));
        data.put("a", bytes("written by another node"));

        valid.set(false);

        assertThat(text(guarded.get("a"))).isEqualTo("written by another node");
    }

    @Test
    void deactivationForgetsEverything() {
        cache.put("a", bytes("1"));
        cache.deactivate();
        data.put("a", bytes("2"));
        cache.activate(() -> true);

        assertThat(cache.size()).isZero();
        assertThat(text(cache.get("a"))).isEqualTo("2");
    }

    @Test
    void keysTheCallerExcludesAreNeverCached() {
        cache.put("core/ha-nodes/x", bytes("1"));
        data.put("core/ha-nodes/x", bytes("2"));

        assertThat(text(cache.get("core/ha-nodes/x"))).isEqualTo("2");
        assertThat(cache.size()).isZero();
    }

    @Test
    void exclusiveWorkBehindTheGatesPurgesTheCache() throws Exception {
        GatedStorage gated = new GatedStorage(backend, cache);
        gated.put("a", bytes("before restore"));
        assertThat(text(gated.get("a"))).isEqualTo("before restore");

        String seenInside = gated.runExclusive(ungated -> {
            ungated.put("a", bytes("restored"));
            return text(gated.get("a")); // a restore reloads through the gates before anyone else reads
        });

        assertThat(seenInside).isEqualTo("restored");
        assertThat(text(gated.get("a"))).isEqualTo("restored");
    }

    @Test
    void gatesRefuseACacheOfAnotherBackend() {
        assertThatThrownBy(() -> new GatedStorage(new InmemBackend(), cache))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- a miss racing a write ---------------------------------------------------------------------------

    @Test
    void aMissThatReadTheOldValueBeforeAWriteDoesNotCacheItAfterTheWrite() throws Exception {
        data.put("k", bytes("old"));
        CountDownLatch readDone = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        backend.afterGet = () -> {
            readDone.countDown();
            await(resume);
        };
        CompletableFuture<Optional<byte[]>> reader = CompletableFuture.supplyAsync(() -> cache.get("k"));
        assertThat(readDone.await(10, TimeUnit.SECONDS)).isTrue();
        backend.afterGet = null;

        cache.put("k", bytes("new")); // completes while the reader still holds "old"
        resume.countDown();

        assertThat(text(reader.get(10, TimeUnit.SECONDS))).as("the reader read before the write").isEqualTo("old");
        assertThat(text(cache.get("k"))).isEqualTo("new");
        assertThat(text(cache.get("k"))).isEqualTo("new");
    }

    @Test
    void aMissDuringAWriteInFlightDoesNotCacheWhatItRead() throws Exception {
        data.put("k", bytes("old"));
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        backend.beforePut = key -> {
            writing.countDown();
            await(commit);
        };
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> cache.put("k", bytes("new")));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(text(cache.get("k"))).isEqualTo("old");
        assertThat(cache.size()).as("read while a write was in flight: not stored").isZero();
        commit.countDown();
        writer.get(10, TimeUnit.SECONDS);

        assertThat(text(cache.get("k"))).isEqualTo("new");
    }

    @Test
    void twoOverlappingWritesLeaveTheKeyUncachedRatherThanGuessTheirOrder() throws Exception {
        CountDownLatch firstWriting = new CountDownLatch(1);
        CountDownLatch firstCommit = new CountDownLatch(1);
        backend.beforePut = key -> {
            if (Thread.currentThread().getName().equals("first-writer")) {
                firstWriting.countDown();
                await(firstCommit);
            }
        };
        Thread first = new Thread(() -> cache.put("k", bytes("first")), "first-writer");
        first.start();
        assertThat(firstWriting.await(10, TimeUnit.SECONDS)).isTrue();
        cache.put("k", bytes("second")); // committed before the first
        assertThat(cache.size()).as("the first write may still commit after the second").isZero();
        firstCommit.countDown();
        first.join(10_000);

        assertThat(text(data.get("k"))).isEqualTo("first");
        assertThat(text(cache.get("k"))).isEqualTo("first");
    }

    @Test
    void aBatchOverlappedByAnotherWriteOfOneOfItsKeysDoesNotCacheItsValue() throws Exception {
        CountDownLatch batchHalfWay = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        backend.beforePut = key -> {
            if (key.equals("other")) { // the batch wrote k already
                batchHalfWay.countDown();
                await(resume);
            }
        };
        CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> cache.writeAll(
                List.of(Write.put("k", bytes("from the batch")), Write.put("other", bytes("o")))));
        assertThat(batchHalfWay.await(10, TimeUnit.SECONDS)).isTrue();

        cache.put("k", bytes("from the single write")); // began after the batch, committed after its write of k
        resume.countDown();
        batch.get(10, TimeUnit.SECONDS);

        assertThat(text(data.get("k"))).isEqualTo("from the single write");
        assertThat(text(cache.get("k"))).isEqualTo("from the single write");
        assertThat(text(cache.get("other"))).isEqualTo("o");
    }

    @Test
    void aMissThatReadBeforeADeactivationDoesNotCacheAfterTheNextActivation() throws Exception {
        data.put("k", bytes("before takeover"));
        CountDownLatch readDone = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        backend.afterGet = () -> {
            readDone.countDown();
            await(resume);
        };
        CompletableFuture<Optional<byte[]>> reader = CompletableFuture.supplyAsync(() -> cache.get("k"));
        assertThat(readDone.await(10, TimeUnit.SECONDS)).isTrue();
        backend.afterGet = null;

        cache.deactivate();
        data.put("k", bytes("written by the other active node")); // straight to storage, as another node does
        cache.activate(() -> true);
        resume.countDown();
        reader.get(10, TimeUnit.SECONDS);

        assertThat(text(cache.get("k"))).isEqualTo("written by the other active node");
    }

    @Test
    void readersAndWritersHammeringFewKeysEndWithTheCacheEqualToStorage() throws Exception {
        ReadCache shared = active(new ReadCache(backend, 8, key -> false));
        int keys = 4;
        AtomicInteger sequence = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new java.util.ArrayList<>();
        long end = System.nanoTime() + Duration.ofMillis(700).toNanos();
        for (int t = 0; t < 6; t++) {
            boolean writer = t % 2 == 0;
            threads.add(new Thread(() -> {
                try {
                    java.util.Random random = new java.util.Random();
                    while (System.nanoTime() - end < 0) {
                        String key = "k" + random.nextInt(keys);
                        if (writer) {
                            if (random.nextInt(5) == 0) {
                                shared.writeAll(List.of(Write.put(key, bytes("v" + sequence.incrementAndGet())),
                                        Write.delete("k" + random.nextInt(keys))));
                            } else {
                                shared.put(key, bytes("v" + sequence.incrementAndGet()));
                            }
                        } else {
                            shared.get(key);
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        for (int k = 0; k < keys; k++) {
            assertThat(text(shared.get("k" + k))).as("k" + k).isEqualTo(text(data.get("k" + k)));
        }
    }

    // ---- failed writes -----------------------------------------------------------------------------------

    @Test
    void aWriteThatFailedAfterReachingStorageLeavesTheKeyUncached() {
        cache.put("k", bytes("old"));
        cache.get("k");
        backend.failAfterPut = true; // e.g. the connection dropped while the commit was under way

        assertThatThrownBy(() -> cache.put("k", bytes("new"))).isInstanceOf(CofferException.StorageFailure.class);

        backend.failAfterPut = false;
        assertThat(text(cache.get("k"))).as("what storage holds, not the cached old value").isEqualTo("new");
    }

    @Test
    void aWriteThatFailedBeforeReachingStorageIsNotCached() {
        cache.put("k", bytes("old"));
        backend.failBeforePut = true; // e.g. refused by fencing

        assertThatThrownBy(() -> cache.put("k", bytes("new"))).isInstanceOf(CofferException.StorageFailure.class);

        backend.failBeforePut = false;
        assertThat(text(cache.get("k"))).isEqualTo("old");
    }

    @Test
    void aBatchThatFailedPartWayLeavesEveryKeyOfItUncached() {
        cache.put("a", bytes("a0"));
        cache.put("b", bytes("b0"));
        backend.failBeforePutOf = "b"; // the default writeAll applies a, then fails on b

        assertThatThrownBy(() -> cache.writeAll(List.of(Write.put("a", bytes("a1")), Write.put("b", bytes("b1")))))
                .isInstanceOf(CofferException.StorageFailure.class);

        backend.failBeforePutOf = null;
        assertThat(text(cache.get("a"))).isEqualTo("a1");
        assertThat(text(cache.get("b"))).isEqualTo("b0");
    }

    @Test
    void aBatchWritesThroughTheLastValueOfEachKey() {
        cache.writeAll(List.of(Write.put("a", bytes("1")), Write.put("b", bytes("x")), Write.put("a", bytes("2")),
                Write.delete("c")));

        assertThat(text(cache.get("a"))).isEqualTo("2");
        assertThat(text(cache.get("b"))).isEqualTo("x");
        assertThat(cache.get("c")).isEmpty();
        assertThat(text(data.get("a"))).isEqualTo("2");
    }

    @Test
    void aFailedReadCachesNothing() {
        data.put("k", bytes("v"));
        backend.failGet = true;
        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CofferException.StorageFailure.class);
        backend.failGet = false;

        assertThat(cache.size()).isZero();
        assertThat(text(cache.get("k"))).isEqualTo("v");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The in-memory backend with hooks around reads and writes, and failures before or after a write applies. */
    private static final class Hooked implements StorageBackend {
        private final StorageBackend delegate;
        final AtomicInteger gets = new AtomicInteger();
        volatile Runnable afterGet;
        volatile java.util.function.Consumer<String> beforePut;
        volatile boolean failGet;
        volatile boolean failBeforePut;
        volatile boolean failAfterPut;
        volatile String failBeforePutOf;

        Hooked(StorageBackend delegate) {
            this.delegate = delegate;
        }

        void clear() {
            afterGet = null;
            beforePut = null;
        }

        @Override
        public Optional<byte[]> get(String key) {
            gets.incrementAndGet();
            if (failGet) {
                throw new CofferException.StorageFailure("injected read failure", null);
            }
            Optional<byte[]> value = delegate.get(key);
            Runnable hook = afterGet;
            if (hook != null) {
                hook.run();
            }
            return value;
        }

        @Override
        public void put(String key, byte[] value) {
            java.util.function.Consumer<String> hook = beforePut;
            if (hook != null) {
                hook.accept(key);
            }
            if (failBeforePut || key.equals(failBeforePutOf)) {
                throw new CofferException.StorageFailure("injected failure before the write", null);
            }
            delegate.put(key, value);
            if (failAfterPut) {
                throw new CofferException.StorageFailure("injected failure after the write applied", null);
            }
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }
    }
}
