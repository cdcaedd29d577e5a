package dev.coffer.policy;

/**
 * One {@code path "..." { ... }} block: a pattern and the capabilities it grants.
 *
 * <p>Patterns: a trailing {@code *} matches any rest (a prefix match); each {@code +} segment matches exactly
 * one path segment; anything else matches exactly.
 */
public record PathRule(String pattern, int capabilities) {

    public boolean prefix() {
        return pattern.endsWith("*");
    }

    /** Number of {@code +} segments. */
    public int plusCount() {
        int n = 0;
        for (String s : body().split("/", -1)) {
            if (s.equals("+")) {
                n++;
            }
        }
        return n;
    }

    /** The pattern without the trailing {@code *}. */
    String body() {
        return prefix() ? pattern.substring(0, pattern.length() - 1) : pattern;
    }

    /** Index of the first wildcard ({@code +} or {@code *}), or the pattern length when there is none. */
    int firstWildcard() {
        int plus = pattern.indexOf('+');
        int star = pattern.indexOf('*');
        int first = pattern.length();
        if (plus >= 0) {
            first = plus;
        }
        if (star >= 0) {
            first = Math.min(first, star);
        }
        return first;
    }

    public boolean matches(String path) {
        String body = body();
        if (body.indexOf('+') < 0) {
            return prefix() ? path.startsWith(body) : path.equals(body);
        }
        String[] want = body.split("/", -1);
        String[] got = path.split("/", -1);
        if (prefix() ? got.length < want.length : got.length != want.length) {
            return false;
        }
        int last = want.length - 1;
        for (int i = 0; i < want.length; i++) {
            boolean ok = want[i].equals("+")
                    ? !got[i].isEmpty()
                    : (i == last && prefix() ? got[i].startsWith(want[i]) : got[i].equals(want[i]));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
