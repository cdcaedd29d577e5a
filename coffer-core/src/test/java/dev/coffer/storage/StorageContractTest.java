package dev.coffer.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link StorageBackend} must show. A backend module extends this class (from the
 * coffer-core test-jar), implements {@link #newBackend()} to return an empty store, and overrides
 * {@link #cleanUp()} if it holds something beyond the backend (a database, a directory).
 */
public abstract class StorageContractTest {

    /** A store that is empty at the start of every test. */
    protected StorageBackend backend;

    /** Returns a new, empty backend; called before every test. */
    protected abstract StorageBackend newBackend() throws Exception;

    /** Called after every test, once the backend is closed. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    final void openBackend() throws Exception {
        backend = newBackend();
    }

    @AfterEach
    final void closeBackend() throws Exception {
        try {
            backend.close();
        } finally {
            cleanUp();
        }
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    /** The stored value, or null when there is none (handy inside loops, where lambdas cannot capture). */
    protected byte[] valueOf(String key) {
        return backend.get(key).orElse(null);
    }

    @Test
    void putThenGetReturnsTheValue() {
        backend.put("core/keyring", bytes("ring"));

        assertThat(backend.get("core/keyring")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("ring")));
    }

    @Test
    void getOfMissingKeyIsEmpty() {
        backend.put("a/b", bytes("x"));

        assertThat(backend.get("missing")).isEmpty();
        assertThat(backend.get("a")).isEmpty();
        assertThat(backend.get("a/b/c")).isEmpty();
    }

    @Test
    void putOverwritesThePreviousValue() {
        backend.put("k", bytes("a much longer first value"));
        backend.put("k", bytes("short"));

        assertThat(backend.get("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("short")));
    }

    @Test
    void deleteRemovesTheValue() {
        backend.put("a/b", bytes("x"));

        backend.delete("a/b");

        assertThat(backend.get("a/b")).isEmpty();
        assertThat(backend.list("")).isEmpty();
    }

    @Test
    void deleteOfMissingKeyIsNotAnError() {
        backend.delete("never/written");
        backend.put("a", bytes("x"));
        backend.delete("a/b");

        assertThat(backend.get("a")).isPresent();
    }

    @Test
    void listShowsEntriesAndFoldersWithTrailingSlashSortedAndUnique() {
        backend.put("top/b", bytes("1"));
        backend.put("top/a/x", bytes("2"));
        backend.put("top/a/y", bytes("3"));
        backend.put("top/c/d/e", bytes("4"));
        backend.put("top/a!", bytes("5"));
        backend.put("other", bytes("6"));

        assertThat(backend.list("top/")).containsExactly("a!", "a/", "b", "c/");
        assertThat(backend.list("")).containsExactly("other", "top/");
    }

    @Test
    void listIsNotRecursive() {
        backend.put("a/b/c/d", bytes("x"));

        assertThat(backend.list("a/")).containsExactly("b/");
        assertThat(backend.list("a/b/")).containsExactly("c/");
        assertThat(backend.list("a/b/c/")).containsExactly("d");
    }

    @Test
    void listOfEmptyStoreOrMissingFolderIsEmpty() {
        assertThat(backend.list("")).isEmpty();
        backend.put("a", bytes("x"));
        assertThat(backend.list("nothing/here/")).isEmpty();
        assertThat(backend.list("a/")).isEmpty();
    }

    @Test
    void listNoLongerShowsAFolderAfterItsLastChildIsDeleted() {
        backend.put("f/one", bytes("1"));
        backend.put("f/deep/two", bytes("2"));

        backend.delete("f/deep/two");
        assertThat(backend.list("f/")).containsExactly("one");
        backend.delete("f/one");

        assertThat(backend.list("")).isEmpty();
        assertThat(backend.list("f/")).isEmpty();
    }

    @Test
    void anEntryAndAFolderWithTheSameNameCoexist() {
        backend.put("a", bytes("entry"));
        backend.put("a/b", bytes("child"));

        assertThat(backend.list("")).containsExactly("a", "a/");
        assertThat(backend.get("a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("entry")));
        backend.delete("a");
        assertThat(backend.list("")).containsExactly("a/");
        assertThat(backend.get("a/b")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("child")));
    }

    @Test
    void keysDifferingOnlyInCaseAreDistinct() {
        backend.put("Key/Name", bytes("upper"));
        backend.put("key/name", bytes("lower"));

        assertThat(backend.get("Key/Name")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("upper")));
        assertThat(backend.get("key/name")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("lower")));
        assertThat(backend.list("")).containsExactly("Key/", "key/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"with space", " leading and trailing ", "unicodé/日本語/😀", "100%", "%2F", "a+b",
            "what?", "#hash", "quote\"d", "it's", "back\\slash", "..", ".", "../escape", "a/../b", ".hidden",
            ".tmp-lookalike", "CON", "tab\tand\nnewline", "colon:star*pipe|", "x.d", "x.c", "~tilde"})
    void keysWithOddCharactersRoundTripAndListUnderTheirOriginalNames(String name) {
        String key = "odd/" + name;
        backend.put(key, bytes(name));

        assertThat(backend.get(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(name)));
        String first = name.contains("/") ? name.substring(0, name.indexOf('/') + 1) : name;
        assertThat(backend.list("odd/")).containsExactly(first);
        backend.delete(key);
        assertThat(backend.get(key)).isEmpty();
        assertThat(backend.list("")).isEmpty();
    }

    @Test
    void oddNamesDoNotCollideWithEachOther() {
        List<String> names = List.of("..", ".", "%2E%2E", "%", "%25", "a", "A", "a.d", "a.c", "é", "e\u0301");
        for (String name : names) {
            backend.put("n/" + name + "/v", bytes(name));
        }
        for (String name : names) {
            assertThat(backend.get("n/" + name + "/v")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(name)));
        }
        assertThat(backend.list("n/")).hasSize(names.size()).allSatisfy(folder -> assertThat(folder).endsWith("/"));
    }

    @Test
    void veryLongSegmentsRoundTrip() {
        String longAscii = "s".repeat(1000);
        String longUpperUnicode = "Ä".repeat(300);
        backend.put("long/" + longAscii, bytes("ascii"));
        backend.put("long/" + longUpperUnicode + "/leaf", bytes("unicode"));

        assertThat(backend.get("long/" + longAscii)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("ascii")));
        assertThat(backend.get("long/" + longUpperUnicode + "/leaf")).isPresent();
        assertThat(backend.list("long/")).containsExactly(longAscii, longUpperUnicode + "/");
        assertThat(backend.list("long/" + longUpperUnicode + "/")).containsExactly("leaf");
        backend.delete("long/" + longAscii);
        backend.delete("long/" + longUpperUnicode + "/leaf");
        assertThat(backend.list("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "a/", "/a", "a//b", "a/b/", "nul\0inside", "lone\uD800surrogate"})
    void malformedKeysAreRejectedAsBadRequest(String key) {
        assertThatThrownBy(() -> backend.put(key, bytes("x"))).isInstanceOf(CofferException.BadRequest.class);
        assertThatThrownBy(() -> backend.get(key)).isInstanceOf(CofferException.BadRequest.class);
        assertThatThrownBy(() -> backend.delete(key)).isInstanceOf(CofferException.BadRequest.class);
        assertThat(backend.list("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "/", "a//", "//"})
    void malformedListPrefixesAreRejectedAsBadRequest(String prefix) {
        assertThatThrownBy(() -> backend.list(prefix)).isInstanceOf(CofferException.BadRequest.class);
    }

    @Test
    void largeValuesRoundTripByteExact() {
        byte[] value = new byte[10 * 1024 * 1024 + 7];
        new Random(42).nextBytes(value);

        backend.put("big", value);

        assertThat(backend.get("big")).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
    }

    @Test
    void emptyValueIsStoredAndDistinctFromMissing() {
        backend.put("empty", new byte[0]);

        assertThat(backend.get("empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(backend.list("")).containsExactly("empty");
    }

    @Test
    void mutatingThePassedArrayDoesNotChangeStoredData() {
        byte[] value = bytes("original");
        backend.put("k", value);

        value[0] = 'X';

        assertThat(backend.get("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("original")));
    }

    @Test
    void mutatingAReturnedArrayDoesNotChangeStoredData() {
        backend.put("k", bytes("original"));

        backend.get("k").orElseThrow()[0] = 'X';

        assertThat(backend.get("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("original")));
    }

    @Test
    @Timeout(60)
    void concurrentWritersLeaveEveryKeyWithItsLastValue() throws Exception {
        int threads = 8;
        int keys = 200;
        runConcurrently(threads, t -> {
            for (int i = 0; i < keys; i++) {
                backend.put("c/t" + t + "/k" + i, bytes("first " + t + "/" + i));
                backend.put("c/t" + t + "/k" + i, bytes("last " + t + "/" + i));
            }
            return null;
        });

        for (int t = 0; t < threads; t++) {
            assertThat(backend.list("c/t" + t + "/")).hasSize(keys);
            for (int i = 0; i < keys; i++) {
                assertThat(valueOf("c/t" + t + "/k" + i)).isEqualTo(bytes("last " + t + "/" + i));
            }
        }
        assertThat(backend.list("c/")).hasSize(threads);
    }

    /**
     * Deleting the last entry of a folder may remove the folder itself; a put racing with that must still
     * land. Each thread owns its keys, so after every round its own puts must be readable.
     */
    @Test
    @Timeout(60)
    void concurrentPutsAndDeletesInOneFolderNeverLoseAPut() throws Exception {
        int threads = 8;
        int rounds = 200;
        runConcurrently(threads, t -> {
            for (int r = 0; r < rounds; r++) {
                String key = "shared/deep/t" + t;
                backend.put(key, bytes("round " + r));
                assertThat(valueOf(key)).isEqualTo(bytes("round " + r));
                backend.delete(key);
            }
            backend.put("shared/deep/t" + t, bytes("final"));
            return null;
        });

        List<String> expected = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            expected.add("t" + t);
            assertThat(valueOf("shared/deep/t" + t)).isEqualTo(bytes("final"));
        }
        assertThat(backend.list("shared/deep/")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(backend.list("shared/deep/")).isSorted();
    }

    @Test
    void writeAllAppliesPutsAndDeletesAndTheLastWriteOfAKeyWins() {
        backend.put("b/old", bytes("old"));
        backend.put("b/revived", bytes("old"));

        backend.writeAll(List.of(StorageBackend.Write.put("a/1", bytes("first")),
                StorageBackend.Write.put("a/2", bytes("two")),
                StorageBackend.Write.delete("b/old"),
                StorageBackend.Write.put("a/1", bytes("last")),
                StorageBackend.Write.put("a/gone", bytes("x")),
                StorageBackend.Write.delete("a/gone"),
                StorageBackend.Write.delete("b/revived"),
                StorageBackend.Write.put("b/revived", bytes("new")),
                StorageBackend.Write.delete("never/existed")));

        assertThat(valueOf("a/1")).isEqualTo(bytes("last"));
        assertThat(valueOf("a/2")).isEqualTo(bytes("two"));
        assertThat(valueOf("b/revived")).isEqualTo(bytes("new"));
        assertThat(backend.get("b/old")).isEmpty();
        assertThat(backend.get("a/gone")).isEmpty();
        assertThat(backend.list("a/")).containsExactly("1", "2");
        assertThat(backend.list("b/")).containsExactly("revived");
    }

    @Test
    void writeAllWithAMalformedKeyAnywhereChangesNothing() {
        backend.put("keep", bytes("kept"));

        assertThatThrownBy(() -> backend.writeAll(List.of(StorageBackend.Write.put("new", bytes("x")),
                StorageBackend.Write.delete("keep"),
                StorageBackend.Write.put("a//b", bytes("y")))))
                .isInstanceOf(CofferException.BadRequest.class);

        assertThat(backend.get("new")).isEmpty();
        assertThat(valueOf("keep")).isEqualTo(bytes("kept"));
    }

    @Test
    void writeAllOfNothingChangesNothing() {
        backend.put("k", bytes("v"));

        backend.writeAll(List.of());

        assertThat(valueOf("k")).isEqualTo(bytes("v"));
        assertThat(backend.list("")).containsExactly("k");
    }

    @Test
    void writeAllStoresOddKeysAndLargeAndEmptyValuesByteExact() {
        byte[] large = new byte[1 << 20];
        new Random(7).nextBytes(large);
        byte[] passed = large.clone();

        backend.writeAll(List.of(StorageBackend.Write.put("odd/unicodé 😀/it's", bytes("odd")),
                StorageBackend.Write.put("odd/large", passed), StorageBackend.Write.put("odd/empty", new byte[0])));
        passed[0]++;

        assertThat(valueOf("odd/unicodé 😀/it's")).isEqualTo(bytes("odd"));
        assertThat(valueOf("odd/large")).isEqualTo(large);
        assertThat(valueOf("odd/empty")).isEmpty();
        assertThat(backend.list("odd/")).containsExactly("empty", "large", "unicodé 😀/");
    }

    /**
     * Each batch writes a data entry and then the "metadata" naming it, like a KV v2 write; concurrent batches on
     * distinct keys all land, and every metadata entry names data that exists.
     */
    @Test
    @Timeout(60)
    void concurrentBatchesAllLand() throws Exception {
        int threads = 8;
        int rounds = 50;
        runConcurrently(threads, t -> {
            for (int r = 1; r <= rounds; r++) {
                List<StorageBackend.Write> batch = new ArrayList<>();
                batch.add(StorageBackend.Write.put("kv/versions/t" + t + "/" + r, bytes("data " + r)));
                batch.add(StorageBackend.Write.put("kv/metadata/t" + t, bytes(Integer.toString(r))));
                if (r > 3) {
                    batch.add(StorageBackend.Write.delete("kv/versions/t" + t + "/" + (r - 3)));
                }
                backend.writeAll(batch);
            }
            return null;
        });

        for (int t = 0; t < threads; t++) {
            assertThat(valueOf("kv/metadata/t" + t)).isEqualTo(bytes(Integer.toString(rounds)));
            assertThat(backend.list("kv/versions/t" + t + "/")).containsExactlyInAnyOrder(
                    Integer.toString(rounds - 2), Integer.toString(rounds - 1), Integer.toString(rounds));
        }
    }

    /** Runs {@code task} on {@code threads} threads started together and rethrows the first failure. */
    protected static void runConcurrently(int threads, ThreadTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Void>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Callable<Void> body = () -> {
                    start.await();
                    return task.run(id);
                };
                results.add(pool.submit(body));
            }
            for (Future<Void> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One thread's share of a concurrent test. */
    @FunctionalInterface
    protected interface ThreadTask {
        Void run(int thread) throws Exception;
    }
}
