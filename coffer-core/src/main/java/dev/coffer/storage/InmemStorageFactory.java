package dev.coffer.storage;

import java.util.Map;

/** {@code storage "inmem" {}}: takes no parameters; everything is lost when the process ends. */
public final class InmemStorageFactory implements StorageFactory {

    @Override
    public String type() {
        return "inmem";
    }

    @Override
    public StorageBackend create(Map<String, String> config) {
        return new InmemBackend();
    }
}
