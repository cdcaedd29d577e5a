package dev.coffer.logical;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.coffer.CofferException;
import dev.coffer.barrier.BarrierView;
import dev.coffer.barrier.SecurityBarrier;
import dev.coffer.core.Json;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mount tables ({@code core/mounts}, {@code core/auth}) and the live backends behind them. Mount changes
 * are written to storage before they take effect in the router, so a failed write changes nothing.
 */
public final class MountManager {
    private static final Logger LOG = LoggerFactory.getLogger(MountManager.class);
    static final String SECRET_TABLE = "core/mounts";
    static final String AUTH_TABLE = "core/auth";
    /** Paths no secrets engine may take (they belong to the core). */
    private static final List<String> RESERVED = List.of("sys/", "auth/", "identity/", "cubbyhole/", "audit/");

    private final SecurityBarrier barrier;
    private final Router router;
    private final CoreServices services;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, BackendFactory> factories = new TreeMap<>();
    private final List<MountEntry> secrets = new ArrayList<>();
    private final List<MountEntry> auths = new ArrayList<>();

    public MountManager(SecurityBarrier barrier, Router router, CoreServices services, Clock clock, SecureRandom random) {
        this.barrier = barrier;
        this.router = router;
        this.services = services;
        this.clock = clock;
        this.random = random;
        for (BackendFactory f : ServiceLoader.load(BackendFactory.class, MountManager.class.getClassLoader())) {
            factories.put(f.kind() + ":" + f.type(), f);
        }
    }

    /** Loads both tables (creating the defaults on first use) and starts every backend. */
    public synchronized void load() {
        secrets.clear();
        auths.clear();
        secrets.addAll(readTable(SECRET_TABLE));
        auths.addAll(readTable(AUTH_TABLE));
        if (auths.stream().noneMatch(m -> m.type().equals("token")) && factory(BackendFactory.Kind.AUTH, "token").isPresent()) {
            auths.add(newEntry(BackendFactory.Kind.AUTH, "token/", "token", "token based credentials", Map.of(), Map.of()));
            writeTable(AUTH_TABLE, auths);
        }
        for (MountEntry e : secrets) {
            start(e);
        }
        for (MountEntry e : auths) {
            start(e);
        }
    }

    /** Stops every backend (seal, step-down). */
    public synchronized void unload() {
        for (MountEntry e : concat()) {
            router.remove(e.routePrefix()).ifPresent(LogicalBackend::close);
        }
        secrets.clear();
        auths.clear();
    }

    public synchronized List<MountEntry> list(BackendFactory.Kind kind) {
        return List.copyOf(kind == BackendFactory.Kind.AUTH ? auths : secrets);
    }

    public synchronized Optional<MountEntry> find(BackendFactory.Kind kind, String path) {
        String p = normalize(path);
        return list(kind).stream().filter(m -> m.path().equals(p)).findFirst();
    }

    public synchronized MountEntry mount(BackendFactory.Kind kind, String path, String type, String description,
                                         Map<String, String> config, Map<String, String> options) {
        String p = normalize(path);
        if (kind == BackendFactory.Kind.SECRET && RESERVED.stream().anyMatch(p::startsWith)) {
            throw new CofferException.BadRequest("cannot mount at \"" + p + "\": the path is reserved for the core");
        }
        String prefix = kind == BackendFactory.Kind.AUTH ? "auth/" + p : p;
        router.conflictingMount(prefix).ifPresent(existing -> {
            throw new CofferException.BadRequest("path is already in use at " + existing + "; choose another path or "
                    + "disable that mount first");
        });
        BackendFactory factory = factory(kind, type).orElseThrow(() -> new CofferException.BadRequest("unknown "
                + (kind == BackendFactory.Kind.AUTH ? "auth method" : "secrets engine") + " type \"" + type + "\"; known: "
                + knownTypes(kind)));
        MountEntry entry = newEntry(kind, p, factory.type(), description, config, options);
        LogicalBackend backend = factory.create(context(entry));
        List<MountEntry> table = kind == BackendFactory.Kind.AUTH ? auths : secrets;
        List<MountEntry> next = new ArrayList<>(table);
        next.add(entry);
        writeTable(tableName(kind), next);
        table.add(entry);
        router.add(entry.routePrefix(), entry, backend);
        LOG.info("mounted {} at {} ({})", entry.type(), entry.routePrefix(), entry.accessor());
        return entry;
    }

    /** Removes a mount and deletes everything it stored. */
    public synchronized void unmount(BackendFactory.Kind kind, String path) {
        String p = normalize(path);
        List<MountEntry> table = kind == BackendFactory.Kind.AUTH ? auths : secrets;
        MountEntry entry = table.stream().filter(m -> m.path().equals(p)).findFirst()
                .orElseThrow(() -> new CofferException.BadRequest("no mount at \"" + p + "\""));
        if (entry.type().equals("token") && kind == BackendFactory.Kind.AUTH) {
            throw new CofferException.BadRequest("the token auth method cannot be disabled");
        }
        List<MountEntry> next = new ArrayList<>(table);
        next.remove(entry);
        writeTable(tableName(kind), next);
        table.remove(entry);
        router.remove(entry.routePrefix()).ifPresent(LogicalBackend::close);
        deleteAll(new BarrierView(barrier, entry.storagePrefix()), "");
        LOG.info("unmounted {} from {}", entry.type(), entry.routePrefix());
    }

    /** Replaces a mount's config (tune) and restarts its backend so it sees the new settings. */
    public synchronized MountEntry tune(BackendFactory.Kind kind, String path, Map<String, String> config,
                                        Map<String, String> options, String description) {
        String p = normalize(path);
        List<MountEntry> table = kind == BackendFactory.Kind.AUTH ? auths : secrets;
        int i = indexOf(table, p);
        MountEntry old = table.get(i);
        MountEntry tuned = old.withConfig(config).withOptions(options).withDescription(description == null
                ? old.description() : description);
        List<MountEntry> next = new ArrayList<>(table);
        next.set(i, tuned);
        writeTable(tableName(kind), next);
        table.set(i, tuned);
        LogicalBackend backend = factory(kind, tuned.type()).orElseThrow().create(context(tuned));
        router.remove(tuned.routePrefix()).ifPresent(LogicalBackend::close);
        router.add(tuned.routePrefix(), tuned, backend);
        return tuned;
    }

    private static int indexOf(List<MountEntry> table, String path) {
        for (int i = 0; i < table.size(); i++) {
            if (table.get(i).path().equals(path)) {
                return i;
            }
        }
        throw new CofferException.BadRequest("no mount at \"" + path + "\"");
    }

    private void start(MountEntry e) {
        Optional<BackendFactory> f = factory(e.kind(), e.type());
        if (f.isEmpty()) {
            LOG.error("mount {} has type \"{}\", which this build does not know; it stays unavailable", e.routePrefix(), e.type());
            return;
        }
        router.add(e.routePrefix(), e, f.get().create(context(e)));
    }

    private BackendContext context(MountEntry e) {
        return new BackendContext(e, new BarrierView(barrier, e.storagePrefix()), clock, random, services);
    }

    private Optional<BackendFactory> factory(BackendFactory.Kind kind, String type) {
        return Optional.ofNullable(factories.get(kind + ":" + type));
    }

    private String knownTypes(BackendFactory.Kind kind) {
        return String.join(", ", factories.values().stream().filter(f -> f.kind() == kind).map(BackendFactory::type).toList());
    }

    private MountEntry newEntry(BackendFactory.Kind kind, String path, String type, String description,
                                Map<String, String> config, Map<String, String> options) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        String hex = HexFormat.of().formatHex(id);
        String uuid = hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
        String accessor = (kind == BackendFactory.Kind.AUTH ? "auth_" : "") + type + "_" + hex.substring(24);
        return new MountEntry(path, type, description, uuid, accessor, config, options, false, false, kind);
    }

    static String normalize(String path) {
        String p = path == null ? "" : path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            throw new CofferException.BadRequest("a mount path is required");
        }
        if (!p.endsWith("/")) {
            p = p + "/";
        }
        for (String seg : p.substring(0, p.length() - 1).split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new CofferException.BadRequest("invalid mount path \"" + path + "\": empty, '.' or '..' segments");
            }
        }
        return p;
    }

    private static String tableName(BackendFactory.Kind kind) {
        return kind == BackendFactory.Kind.AUTH ? AUTH_TABLE : SECRET_TABLE;
    }

    private List<MountEntry> readTable(String path) {
        return barrier.get(path).map(bytes -> {
            try {
                return Json.MAPPER.readValue(bytes, new TypeReference<List<MountEntry>>() { });
            } catch (IOException e) {
                throw new CofferException.Internal("the mount table at " + path + " is not valid JSON", e);
            }
        }).orElseGet(List::of);
    }

    private void writeTable(String path, List<MountEntry> table) {
        barrier.put(path, Json.write(table));
    }

    private List<MountEntry> concat() {
        List<MountEntry> all = new ArrayList<>(secrets);
        all.addAll(auths);
        return all;
    }

    private static void deleteAll(BarrierView view, String prefix) {
        for (String child : view.list(prefix)) {
            if (child.endsWith("/")) {
                deleteAll(view, prefix + child);
            } else {
                view.delete(prefix + child);
            }
        }
    }
}
