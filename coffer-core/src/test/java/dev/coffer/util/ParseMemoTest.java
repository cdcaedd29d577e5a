package dev.coffer.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The memo skips a parse only for byte-identical content, and never lets anyone change what it remembers. */
class ParseMemoTest {
    private final AtomicInteger parses = new AtomicInteger();
    private final Function<byte[], List<String>> parser = b -> {
        parses.incrementAndGet();
        return new ArrayList<>(List.of(new String(b, StandardCharsets.UTF_8).split(",")));
    };

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void identicalBytesAreParsedOnce_andAnyOtherBytesAfresh() {
        ParseMemo<List<String>> memo = ParseMemo.copying(8, ArrayList::new);
        assertThat(memo.parse("k", bytes("a,b"), parser)).containsExactly("a", "b");
        assertThat(memo.parse("k", bytes("a,b"), parser)).as("equal bytes in another array")
                .containsExactly("a", "b");
        assertThat(parses).hasValue(1);
        assertThat(memo.parse("k", bytes("a,c"), parser)).as("one byte differs").containsExactly("a", "c");
        assertThat(memo.parse("k", bytes("a,c,"), parser)).as("one byte more").containsExactly("a", "c");
        assertThat(memo.parse("other", bytes("a,c,"), parser)).as("same bytes, another key").containsExactly("a", "c");
        assertThat(parses).hasValue(4);
        assertThat(memo.get("k", bytes("a,b"))).as("replaced by the newer bytes").isNull();
        assertThat(memo.<Integer>read("k", bytes("a,c,"), List::size)).isEqualTo(2);
        assertThat(memo.<Integer>read("k", bytes("a,c"), List::size)).as("the bytes before the last").isNull();
        assertThat(memo.<Integer>read("k", bytes("a,b"), List::size)).isNull();
    }

    @Test
    void aCopyingMemoHandsOutAndStoresCopies() {
        ParseMemo<List<String>> memo = ParseMemo.copying(8, ArrayList::new);
        List<String> parsed = memo.parse("k", bytes("a,b"), parser);
        parsed.add("changed after parsing");
        List<String> first = memo.get("k", bytes("a,b"));
        first.clear();
        List<String> second = memo.parse("k", bytes("a,b"), parser);
        assertThat(second).isNotSameAs(first).containsExactly("a", "b");
        assertThat(parses).hasValue(1);

        List<String> written = new ArrayList<>(List.of("x"));
        memo.remember("w", bytes("x"), written);
        written.add("changed after remembering");
        assertThat(memo.get("w", bytes("x"))).containsExactly("x");
    }

    @Test
    void anImmutableMemoHandsOutTheRememberedValueItself() {
        ParseMemo<List<String>> memo = ParseMemo.ofImmutable(8);
        Function<byte[], List<String>> immutable = parser.andThen(List::copyOf);
        List<String> first = memo.parse("k", bytes("a,b"), immutable);
        assertThat(memo.parse("k", bytes("a,b"), immutable)).isSameAs(first);
        assertThat(memo.get("k", bytes("a,b"))).isSameAs(first);
    }

    @Test
    void aParserThatFailsLeavesTheMemoAsItWas() {
        ParseMemo<List<String>> memo = ParseMemo.copying(8, ArrayList::new);
        memo.parse("k", bytes("a"), parser);
        assertThatThrownBy(() -> memo.parse("k", bytes("bad"), b -> {
            throw new IllegalStateException("not valid");
        })).hasMessage("not valid");
        assertThat(memo.get("k", bytes("a"))).containsExactly("a");
        assertThat(memo.size()).isEqualTo(1);
    }

    @Test
    void theMemoIsBounded_andForgetsKeysOnRequest() {
        ParseMemo<List<String>> memo = ParseMemo.copying(16, ArrayList::new);
        for (int i = 0; i < 100; i++) {
            memo.parse("k" + i, bytes("v" + i), parser);
            assertThat(memo.size()).isBetween(1, memo.max());
        }
        assertThat(memo.get("k99", bytes("v99"))).containsExactly("v99");
        memo.forget("k99");
        assertThat(memo.get("k99", bytes("v99"))).isNull();
        memo.parse("k1", bytes("v1"), parser);
        memo.clear();
        assertThat(memo.size()).isZero();
        assertThat(memo.get("k1", bytes("v1"))).isNull();
        assertThatThrownBy(() -> ParseMemo.ofImmutable(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void itsTextNamesNeitherKeysNorBytesNorValues() {
        ParseMemo<List<String>> memo = ParseMemo.copying(8, ArrayList::new);
        memo.parse("secret/key-name", bytes("s3cr3t-value"), parser);
        assertThat(memo.toString()).doesNotContain("key-name", "s3cr3t").contains("1 of at most 8");
    }

    @Test
    void concurrentReadersAndWritersAlwaysGetWhatAFreshParseWouldGive() throws Exception {
        ParseMemo<List<String>> memo = ParseMemo.copying(4, ArrayList::new);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int i = 0; i < 20_000; i++) {
                        String key = "k" + r.nextInt(6);
                        String text = key + "," + r.nextInt(3);
                        byte[] b = bytes(text);
                        List<String> got = r.nextInt(4) == 0 ? memo.get(key, b) : memo.parse(key, b, parser);
                        if (got != null) {
                            assertThat(got).containsExactly(text.split(","));
                            got.add("scribbled by a caller");
                        }
                        if (r.nextInt(50) == 0) {
                            memo.forget(key);
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(memo.size()).isLessThanOrEqualTo(memo.max() + 4);
    }
}
