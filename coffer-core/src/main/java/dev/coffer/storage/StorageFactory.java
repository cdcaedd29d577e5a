package dev.coffer.storage;

import java.util.Map;

/**
 * Creates a storage backend from its config stanza ({@code storage "TYPE" { ... }}). Implementations are
 * found through {@link java.util.ServiceLoader} by {@link #type()}, so the core never imports a driver.
 */
public interface StorageFactory {

    /** The stanza label, e.g. {@code "file"}, {@code "inmem"}, {@code "postgresql"}. */
    String type();

    /**
     * Builds the backend. {@code config} holds the stanza's attributes as strings (numbers and booleans
     * already turned into their string form). Invalid or missing parameters raise
     * {@link dev.coffer.CofferException.BadRequest} naming the parameter and what is expected.
     */
    StorageBackend create(Map<String, String> config);
}
