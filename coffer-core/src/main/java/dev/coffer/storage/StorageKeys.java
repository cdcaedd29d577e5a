package dev.coffer.storage;

import dev.coffer.CofferException;

/**
 * The key rules every backend enforces, so that a key accepted by one backend is accepted by all of them
 * and a snapshot can move between backends: a key is one or more non-empty '/'-separated segments of
 * well-formed Unicode text without NUL. Messages name the rule that was broken but not the key, so they are
 * safe to return to clients.
 */
public final class StorageKeys {

    private StorageKeys() {
    }

    /** Checks a key for get, put and delete. */
    public static String requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new CofferException.BadRequest("storage key is empty: pass a path such as \"core/keyring\"");
        }
        if (key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
            throw new CofferException.BadRequest(
                    "storage key has an empty segment (leading, trailing or doubled '/'): remove the extra '/'");
        }
        requireText(key);
        return key;
    }

    /** Checks a list prefix: empty (the root) or a valid key followed by '/'. */
    public static String requirePrefix(String prefix) {
        if (prefix == null) {
            throw new CofferException.BadRequest("storage list prefix is missing: pass \"\" for the root");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        if (!prefix.endsWith("/")) {
            throw new CofferException.BadRequest("storage list prefix must be empty or end with '/'");
        }
        requireKey(prefix.substring(0, prefix.length() - 1));
        return prefix;
    }

    /** Rejects NUL and unpaired surrogates, which no file name or database column could store faithfully. */
    private static void requireText(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\0') {
                throw new CofferException.BadRequest("storage key contains NUL, which is not allowed in keys");
            }
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new CofferException.BadRequest(
                        "storage key contains an unpaired UTF-16 surrogate: keys must be well-formed Unicode");
            }
        }
    }
}
