package dev.coffer.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.CofferException;
import dev.coffer.barrier.BarrierView;
import dev.coffer.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ACL policies behind the barrier ({@code sys/policy/<name>}), with a parsed-policy cache. {@code root} is
 * built in (never stored, cannot be written or deleted); {@code default} is created on the first unseal and may
 * be edited but not deleted. Names are case-insensitive and stored lower case.
 */
public final class PolicyStore {
    public static final String ROOT = "root";
    public static final String DEFAULT = "default";

    private final BarrierView view;
    private final Map<String, Policy> cache = new ConcurrentHashMap<>();

    record Stored(@JsonProperty("name") String name, @JsonProperty("policy") String policy) {
    }

    public PolicyStore(BarrierView view) {
        this.view = view;
    }

    /** On unseal: clears the cache and creates the default policy if it was never written. */
    public void load() {
        cache.clear();
        if (view.get(DEFAULT).isEmpty()) {
            put(DEFAULT, DefaultPolicy.TEXT);
        }
    }

    public void unload() {
        cache.clear();
    }

    public static String normalize(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (n.isEmpty() || n.contains("/") || n.contains("..")) {
            throw new CofferException.BadRequest("invalid policy name \"" + name + "\": it must be non-empty and "
                    + "contain no '/' or '..'");
        }
        return n;
    }

    /** The policy named {@code name}; empty when there is none ({@code root} has no rules: it is special-cased). */
    public Optional<Policy> get(String name) {
        String n = normalize(name);
        if (n.equals(ROOT)) {
            return Optional.of(new Policy(ROOT, "", List.of(), List.of()));
        }
        Policy cached = cache.get(n);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Policy> loaded = view.get(n).map(b -> Json.read(b, Stored.class, "policy " + n))
                .map(s -> PolicyParser.parse(n, s.policy()));
        loaded.ifPresent(p -> cache.put(n, p));
        return loaded;
    }

    /** Parses, then stores; returns the parsed policy (with any warnings). */
    public Policy put(String name, String text) {
        String n = normalize(name);
        if (n.equals(ROOT)) {
            throw new CofferException.BadRequest("the root policy is built in and cannot be changed");
        }
        Policy p = PolicyParser.parse(n, text);
        view.put(n, Json.write(new Stored(n, text)));
        cache.put(n, p);
        return p;
    }

    public void delete(String name) {
        String n = normalize(name);
        if (n.equals(ROOT) || n.equals(DEFAULT)) {
            throw new CofferException.BadRequest("the " + n + " policy cannot be deleted");
        }
        view.delete(n);
        cache.remove(n);
    }

    /** Every policy name, sorted, including {@code root}. */
    public List<String> list() {
        List<String> names = new ArrayList<>(view.list(""));
        names.removeIf(s -> s.endsWith("/"));
        names.add(ROOT);
        return names.stream().sorted().distinct().toList();
    }
}
