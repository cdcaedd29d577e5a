package dev.coffer.core;

import java.util.List;

/** Vault's simple path patterns for sudo and unauthenticated paths: exact, or a prefix when ending in '*'. */
final class PathGlobs {
    private PathGlobs() {
    }

    static boolean matchesAny(List<String> patterns, String path) {
        for (String p : patterns) {
            if (p.endsWith("*") ? path.startsWith(p.substring(0, p.length() - 1)) : path.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
