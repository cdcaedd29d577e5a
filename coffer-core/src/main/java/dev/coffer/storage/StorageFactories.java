package dev.coffer.storage;

import dev.coffer.CofferException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds the {@link StorageFactory} for a {@code storage "TYPE"} stanza among those on the class path. */
public final class StorageFactories {

    private StorageFactories() {
    }

    /** Creates the backend of {@code type}; an unknown type is a BadRequest listing the known ones. */
    public static StorageBackend create(String type, Map<String, String> config) {
        for (StorageFactory factory : ServiceLoader.load(StorageFactory.class)) {
            if (factory.type().equals(type)) {
                return factory.create(config == null ? Map.of() : config);
            }
        }
        throw new CofferException.BadRequest("unknown storage type \"" + type + "\": expected one of "
                + String.join(", ", knownTypes()));
    }

    /** The types available on the class path, sorted. */
    public static List<String> knownTypes() {
        return ServiceLoader.load(StorageFactory.class).stream()
                .map(provider -> provider.get().type())
                .sorted()
                .distinct()
                .toList();
    }
}
