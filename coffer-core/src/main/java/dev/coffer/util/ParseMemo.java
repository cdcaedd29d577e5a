package dev.coffer.util;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What the decrypted bytes of a storage entry parsed to, by key, each with the exact bytes it stands for. Parsing a
 * hot entry's JSON can cost as much as decrypting it; a reader still reads and decrypts the entry every time, and
 * only when those bytes equal the remembered ones, byte for byte, is the parse skipped. A change by another request,
 * another node or a restore is therefore seen at once: the bytes differ, or are gone. Nothing here decides anything
 * a fresh parse of the same bytes would not.
 *
 * <p>The remembered value is never handed out where it could be changed: a memo built with {@link #copying} stores
 * and hands out copies; one built with {@link #ofImmutable} is for values nobody can change. At most {@code max}
 * keys are kept (all are dropped when that is reached). Safe for concurrent use. The remembered bytes and values
 * are plaintext secrets: this class never logs them, and its {@link #toString} names only its size.
 *
 * @param <T> what the bytes parse to
 */
public final class ParseMemo<T> {
    private final int max;
    private final UnaryOperator<T> copy;
    private final ConcurrentHashMap<String, Remembered<T>> byKey = new ConcurrentHashMap<>();

    /** Deliberately not a record: its generated toString would print the value. */
    private static final class Remembered<T> {
        final byte[] bytes;
        final T value;

        Remembered(byte[] bytes, T value) {
            this.bytes = bytes;
            this.value = value;
        }
    }

    private ParseMemo(int max, UnaryOperator<T> copy) {
        if (max < 1) {
            throw new IllegalArgumentException("a parse memo needs room for at least one key, not " + max);
        }
        this.max = max;
        this.copy = copy;
    }

    /** For values that cannot be changed (records of immutable fields): the remembered one itself is handed out. */
    public static <T> ParseMemo<T> ofImmutable(int max) {
        return new ParseMemo<>(max, UnaryOperator.identity());
    }

    /** For mutable values: {@code copy} (sharing nothing mutable) is applied to whatever is stored or handed out. */
    public static <T> ParseMemo<T> copying(int max, UnaryOperator<T> copy) {
        return new ParseMemo<>(max, copy);
    }

    /**
     * What {@code bytes} parse to: from the memo when they are the key's remembered bytes, else {@code parser}'s
     * result, which is then remembered. {@code bytes} must not be changed by the caller afterwards. A parser that
     * throws leaves the memo as it was.
     */
    public T parse(String key, byte[] bytes, Function<byte[], T> parser) {
        Remembered<T> known = byKey.get(key);
        if (known != null && Arrays.equals(known.bytes, bytes)) {
            return copy.apply(known.value);
        }
        T value = parser.apply(bytes);
        remember(key, bytes, value);
        return value;
    }

    /** The value remembered for exactly {@code bytes} under {@code key}, or null when the key's bytes were others. */
    public T get(String key, byte[] bytes) {
        Remembered<T> known = byKey.get(key);
        return known != null && Arrays.equals(known.bytes, bytes) ? copy.apply(known.value) : null;
    }

    /**
     * {@code reader} applied to the value remembered for exactly {@code bytes} under {@code key}, without a copy, or
     * null when the key's bytes were others. {@code reader} must neither change nor keep the value.
     */
    public <R> R read(String key, byte[] bytes, Function<? super T, ? extends R> reader) {
        Remembered<T> known = byKey.get(key);
        return known != null && Arrays.equals(known.bytes, bytes) ? reader.apply(known.value) : null;
    }

    /** Remembers that {@code bytes} (not changed afterwards by the caller) parse to {@code value}. */
    public void remember(String key, byte[] bytes, T value) {
        if (byKey.size() >= max) {
            byKey.clear();
        }
        byKey.put(key, new Remembered<>(bytes, copy.apply(value)));
    }

    public void forget(String key) {
        byKey.remove(key);
    }

    public void clear() {
        byKey.clear();
    }

    public int size() {
        return byKey.size();
    }

    public int max() {
        return max;
    }

    @Override
    public String toString() {
        return "ParseMemo[" + byKey.size() + " of at most " + max + " keys]";
    }
}
