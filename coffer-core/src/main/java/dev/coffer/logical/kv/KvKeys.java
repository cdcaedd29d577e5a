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
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
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
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new CofferException.BadRequest("invalid key \"" + key + "\": empty, '.' and '..' path segments are "
                        + "not allowed");
            }
        }
    }
}
