package dev.coffer.logical.kv;

import dev.coffer.CofferException;
import java.util.Set;

/** Rules for key names inside a KV mount. */
final class KvKeys {
    private static final Set<String> V2_AREAS = Set.of("data", "metadata", "delete", "undelete", "destroy", "subkeys");

    private KvKeys() {
    }

    static boolean isKnownArea(String area) {
        return V2_AREAS.contains(area);
    }

    /** Whether {@link #requireKey} would accept the key. */
    static boolean isValid(String key) {
        if (key.isEmpty() || key.endsWith("/")) {
            return false;
        }
        int start = 0;
        while (true) {
            int slash = key.indexOf('/', start);
            int end = slash < 0 ? key.length() : slash;
            if (isDotsOrEmpty(key, start, end)) {
                return false;
            }
            if (slash < 0) {
                return true;
            }
            start = slash + 1;
        }
    }

    /** Whether {@code key[start, end)} is "", "." or "..". */
    private static boolean isDotsOrEmpty(String key, int start, int end) {
        int length = end - start;
        return length == 0 || length <= 2 && key.charAt(start) == '.' && key.charAt(end - 1) == '.';
    }

    /**
     * A key names one secret: not empty, no trailing '/', no '.' or '..' segment, no empty segment. The barrier
     * view would refuse ".." anyway; refusing here gives a clearer message and keeps "a//b" from aliasing.
     */
    static void requireKey(String key, String path) {
        if (key.isEmpty() || key.endsWith("/")) {
            throw new CofferException.BadRequest("missing key name in \"" + path + "\": add the secret's name after the "
                    + "last '/', e.g. data/app");
        }
        if (!isValid(key)) {
            throw new CofferException.BadRequest("invalid key \"" + key + "\": empty, '.' and '..' path segments are "
                    + "not allowed");
        }
    }
}
