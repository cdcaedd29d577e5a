package dev.coffer.snapshot.auto;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/** The target types this server knows: {@code local} plus every {@link SnapshotTargetFactory} on the class path. */
public final class SnapshotTargets {
    private final Map<String, SnapshotTargetFactory> factories = new LinkedHashMap<>();

    public SnapshotTargets(Iterable<SnapshotTargetFactory> extra) {
        add(new LocalDirectoryTarget.Factory());
        for (SnapshotTargetFactory f : extra) {
            add(f);
        }
    }

    /** {@code local} and the factories {@link ServiceLoader} finds. */
    public static SnapshotTargets discover() {
        return new SnapshotTargets(ServiceLoader.load(SnapshotTargetFactory.class, SnapshotTargets.class.getClassLoader()));
    }

    public SnapshotTargets add(SnapshotTargetFactory f) {
        factories.put(f.type(), f);
        return this;
    }

    public Set<String> types() {
        return new TreeSet<>(factories.keySet());
    }

    public SnapshotTarget create(String type, Map<String, String> config) {
        SnapshotTargetFactory f = factories.get(type);
        if (f == null) {
            throw new IllegalArgumentException("unknown snapshot target type \"" + type + "\"; known: " + types()
                    + (type.equals("s3") || type.equals("azure-blob")
                    ? " (the " + type + " target is in coffer-snapshot-targets, which is not on the class path)" : ""));
        }
        return f.create(config);
    }
}
