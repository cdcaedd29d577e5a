package dev.coffer.storage;

import dev.coffer.CofferException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code storage "file" { path = "/var/lib/coffer/data" }}: the directory is created (owner-only where the
 * file system has POSIX permissions) if it does not exist yet.
 */
public final class FileStorageFactory implements StorageFactory {

    static final String PATH = "path";

    @Override
    public String type() {
        return "file";
    }

    @Override
    public StorageBackend create(Map<String, String> config) {
        String value = config.get(PATH);
        if (value == null || value.isBlank()) {
            throw new CofferException.BadRequest("storage \"file\": parameter \"path\" is required: set it to the"
                    + " directory that holds the data, e.g. path = \"/var/lib/coffer/data\"");
        }
        Path root;
        try {
            root = Path.of(value.strip());
        } catch (InvalidPathException e) {
            throw new CofferException.BadRequest("storage \"file\": parameter \"path\" is not a valid path on this"
                    + " system (" + e.getReason() + "): expected a directory path", e);
        }
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new CofferException.BadRequest("storage \"file\": parameter \"path\" names " + root
                    + ", which is not a directory: point it at a directory or a path that does not exist yet");
        }
        return new FileBackend(root);
    }
}
