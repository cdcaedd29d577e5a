package dev.coffer.storage.postgresql;

/**
 * Vault's row layout for a key: {@code a/b/c} is stored as parent_path {@code /a/}, path {@code /a/b/}, key
 * {@code c}; {@code a} as parent_path {@code ""}, path {@code /}, key {@code a}. Keeping it lets a Vault
 * table be read by Coffer and the other way round (the values themselves are barrier-specific).
 */
record KeySplit(String parentPath, String path, String key) {

    /** Splits a key already checked by {@link dev.coffer.storage.StorageKeys#requireKey}. */
    static KeySplit of(String storageKey) {
        int last = storageKey.lastIndexOf('/');
        if (last < 0) {
            return new KeySplit("", "/", storageKey);
        }
        String path = "/" + storageKey.substring(0, last + 1);
        return new KeySplit(parentOf(path), path, storageKey.substring(last + 1));
    }

    /** The path column value holding the direct children of a list prefix ("" or ending with '/'). */
    static String pathOfPrefix(String prefix) {
        return "/" + prefix;
    }

    /**
     * The smallest string greater than every path under {@code path} (which ends with '/'): replacing the final
     * '/' (0x2F) by '0' (0x30) bounds the range in the byte order of COLLATE "C".
     */
    static String upperBound(String path) {
        return path.substring(0, path.length() - 1) + "0";
    }

    private static String parentOf(String path) {
        int previous = path.lastIndexOf('/', path.length() - 2);
        return path.substring(0, previous + 1);
    }
}
