package dev.coffer.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The union of a token's policies, ready to answer "what may this token do on this path?".
 *
 * <p>Rules for the same pattern from several policies merge (their capabilities are or-ed; {@code deny} in any
 * of them wins for that pattern). Then exactly one pattern decides a path: an exact pattern if one equals the
 * path, otherwise the most specific matching wildcard pattern, ranked by {@link #MOST_SPECIFIC_FIRST}. A more
 * specific allow therefore beats a broader deny, as in Vault.
 */
public final class Acl {
    /**
     * Most specific first: (1) the first wildcard ({@code +} or {@code *}) comes later; (2) no trailing {@code *}
     * beats a trailing one; (3) fewer {@code +} segments; (4) longer pattern; (5) lexically greater, only so the
     * order is total.
     */
    static final Comparator<PathRule> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt(PathRule::firstWildcard).reversed()
            .thenComparing(PathRule::prefix)
            .thenComparingInt(PathRule::plusCount)
            .thenComparing(Comparator.comparingInt((PathRule r) -> r.pattern().length()).reversed())
            .thenComparing(Comparator.comparing(PathRule::pattern).reversed());

    private final boolean root;
    private final Map<String, Integer> exact = new HashMap<>();
    private final List<PathRule> wildcards;

    private Acl(boolean root, Collection<Policy> policies) {
        this.root = root;
        Map<String, Integer> globs = new LinkedHashMap<>();
        for (Policy p : policies) {
            for (PathRule r : p.rules()) {
                boolean wild = r.prefix() || r.plusCount() > 0;
                (wild ? globs : exact).merge(r.pattern(), r.capabilities(), (a, b) -> a | b);
            }
        }
        List<PathRule> sorted = new ArrayList<>();
        globs.forEach((k, v) -> sorted.add(new PathRule(k, v)));
        sorted.sort(MOST_SPECIFIC_FIRST);
        this.wildcards = List.copyOf(sorted);
    }

    public static Acl of(Collection<Policy> policies, boolean root) {
        return new Acl(root, policies);
    }

    /** The capability bits that apply to {@code path}; a deny bit means nothing is allowed. */
    public int capabilities(String path) {
        if (root) {
            return Capability.ALL;
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        Integer bits = exact.get(p);
        if (bits != null) {
            return bits;
        }
        for (PathRule r : wildcards) {
            if (r.matches(p)) {
                return r.capabilities();
            }
        }
        return 0;
    }

    /** Whether {@code capability} (plus sudo when asked) is granted on {@code path}. */
    public boolean allows(String path, Capability capability, boolean sudo) {
        int bits = capabilities(path);
        if ((bits & Capability.DENY.bit()) != 0) {
            return false;
        }
        return (bits & capability.bit()) != 0 && (!sudo || (bits & Capability.SUDO.bit()) != 0);
    }
}
