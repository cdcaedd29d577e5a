package dev.coffer.token;

import dev.coffer.core.Json;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token entries already parsed, by storage key, each with the exact bytes it was parsed from. Every authenticated
 * request looks its token up, and parsing the entry's JSON cost about as much as decrypting it. A lookup still
 * reads and decrypts the entry from storage each time; only when those bytes equal the remembered ones is the
 * (pure) parse skipped, so a renewed, used or revoked token is seen at once: its bytes change, or are gone. Nothing
 * here decides anything a fresh parse of the same bytes would not. Bounded, and emptied on seal.
 */
final class ParsedEntries {
    static final int MAX = 4096;

    private final ConcurrentHashMap<String, Parsed> byKey = new ConcurrentHashMap<>();

    private record Parsed(byte[] json, TokenEntry entry) {
    }

    /** The entry {@code json} holds; {@code json} must not be changed by the caller afterwards. */
    TokenEntry parse(String key, byte[] json) {
        Parsed known = byKey.get(key);
        if (known != null && Arrays.equals(known.json(), json)) {
            return known.entry();
        }
        TokenEntry entry = Json.read(json, TokenEntry.class, "token entry");
        if (byKey.size() >= MAX) {
            byKey.clear();
        }
        byKey.put(key, new Parsed(json, entry));
        return entry;
    }

    void forget(String key) {
        byKey.remove(key);
    }

    void clear() {
        byKey.clear();
    }

    int size() {
        return byKey.size();
    }
}
