package dev.coffer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageFactoriesTest {

    @TempDir
    Path base;

    @Test
    void inmemTypeCreatesAnInmemBackend() {
        assertThat(StorageFactories.create("inmem", Map.of())).isInstanceOf(InmemBackend.class);
    }

    @Test
    void fileTypeCreatesTheDirectoryNamedByPath() {
        Path root = base.resolve("a/b/data");

        StorageBackend backend = StorageFactories.create("file", Map.of("path", root.toString()));

        assertThat(backend).isInstanceOf(FileBackend.class);
        assertThat(root).isDirectory();
    }

    @Test
    void unknownTypeIsABadRequestListingTheKnownTypes() {
        assertThatThrownBy(() -> StorageFactories.create("consul", Map.of()))
                .isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("\"consul\"")
                .hasMessageContaining("file, inmem");
    }

    @Test
    void knownTypesIncludeTheBuiltInBackends() {
        assertThat(StorageFactories.knownTypes()).contains("file", "inmem").isSorted();
    }

    @Test
    void fileWithoutPathIsABadRequestNamingThePathParameter() {
        assertThatThrownBy(() -> StorageFactories.create("file", Map.of("other", "x")))
                .isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("\"path\" is required");
        assertThatThrownBy(() -> StorageFactories.create("file", Map.of("path", "  ")))
                .isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("\"path\" is required");
    }

    @Test
    void fileWithPathToARegularFileIsABadRequest() throws Exception {
        Path file = Files.writeString(base.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> StorageFactories.create("file", Map.of("path", file.toString())))
                .isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void fileBackendThatCannotCreateItsDirectoryIsAStorageFailure() throws Exception {
        Path file = Files.writeString(base.resolve("blocker"), "x");

        assertThatThrownBy(() -> new FileBackend(file.resolve("child")))
                .isInstanceOf(CofferException.StorageFailure.class)
                .hasMessageContaining("cannot open the storage directory");
    }
}
