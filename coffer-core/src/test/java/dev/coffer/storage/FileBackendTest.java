package dev.coffer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBackendTest extends StorageContractTest {

    @TempDir
    Path base;

    private Path root() {
        return base.resolve("store");
    }

    @Override
    protected StorageBackend newBackend() {
        return new FileBackend(root());
    }

    @Test
    void valuesSurviveReopeningTheDirectory() {
        backend.put("core/keyring", bytes("ring"));
        backend.put("core", bytes("entry beside folder"));

        FileBackend reopened = new FileBackend(root());

        assertThat(reopened.get("core/keyring")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("ring")));
        assertThat(reopened.list("")).containsExactly("core", "core/");
    }

    private static AtomicRestore.EntrySource entries(String... keyValues) {
        java.util.Iterator<String> it = List.of(keyValues).iterator();
        return () -> it.hasNext() ? new AtomicRestore.Entry(it.next(), bytes(it.next())) : null;
    }

    @Test
    void replaceAllSwapsInExactlyTheGivenEntries() throws IOException {
        assertThat(((FileBackend) backend).atomicRestoreAvailable()).as("a plain directory can be swapped").isTrue();
        backend.put("old/a", bytes("1"));
        backend.put("kept", bytes("old"));

        ((FileBackend) backend).replaceAll(entries("kept", "new", "fresh/b/c", "2"));

        assertThat(backend.list("")).containsExactly("fresh/", "kept");
        assertThat(backend.get("kept")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("new")));
        assertThat(backend.get("fresh/b/c")).isPresent();
        assertThat(backend.get("old/a")).isEmpty();
        assertThat(base.resolve("store.restoring")).doesNotExist();
        assertThat(base.resolve("store.previous")).doesNotExist();
    }

    @Test
    void aSourceFailingPartWayLeavesTheOldContentAndNoStagedCopy() {
        backend.put("old/a", bytes("1"));
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        AtomicRestore.EntrySource failing = () -> {
            if (served.incrementAndGet() > 2) {
                throw new IOException("archive truncated");
            }
            return new AtomicRestore.Entry("new/" + served.get(), bytes("x"));
        };

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ((FileBackend) backend).replaceAll(failing))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated");

        assertThat(backend.list("")).containsExactly("old/");
        assertThat(backend.get("old/a")).isPresent();
        assertThat(base.resolve("store.restoring")).doesNotExist();
    }

    @Test
    void aCrashBetweenTheTwoRenamesIsFinishedAtTheNextOpen() throws IOException {
        backend.put("old/a", bytes("1"));
        // the state a crash leaves after the staged copy was completed and root moved aside
        FileBackend staged = new FileBackend(base.resolve("store.restoring"));
        staged.put("new/b", bytes("2"));
        Files.write(base.resolve("store.restoring").resolve(".coffer-restore-complete"), new byte[0]);
        Files.move(root(), base.resolve("store.previous"));

        FileBackend reopened = new FileBackend(root());

        assertThat(reopened.list("")).containsExactly("new/");
        assertThat(reopened.get("new/b")).isPresent();
        assertThat(base.resolve("store.previous")).doesNotExist();
        assertThat(base.resolve("store.restoring")).doesNotExist();
    }

    @Test
    void aCrashBeforeTheStagedCopyWasCompleteKeepsTheOldContent() throws IOException {
        backend.put("old/a", bytes("1"));
        new FileBackend(base.resolve("store.restoring")).put("new/b", bytes("2")); // no completion marker

        FileBackend reopened = new FileBackend(root());

        assertThat(reopened.list("")).containsExactly("old/");
        assertThat(base.resolve("store.restoring")).doesNotExist();
    }

    @Test
    void dotSegmentsNeverEscapeTheRoot() throws IOException {
        backend.put("../outside", bytes("1"));
        backend.put("a/../../outside", bytes("2"));
        backend.put("./here", bytes("3"));

        try (Stream<Path> siblings = Files.list(base)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("store");
        }
        assertThat(allFiles()).allSatisfy(p -> assertThat(p.normalize()).startsWith(root()));
        assertThat(backend.list("")).containsExactly("../", "./", "a/");
    }

    @Test
    void deletingTheLastEntryRemovesItsEmptyDirectories() throws IOException {
        backend.put("a/b/c/d", bytes("x"));
        backend.put("a/keep", bytes("y"));

        backend.delete("a/b/c/d");

        assertThat(allFiles()).containsExactly(root().resolve("a.d").resolve("keep"));
        try (Stream<Path> dirs = Files.list(root().resolve("a.d"))) {
            assertThat(dirs).hasSize(1);
        }
    }

    @Test
    void listIgnoresTempFilesOfWritesInFlight() throws IOException {
        backend.put("f/real", bytes("x"));
        Files.write(root().resolve("f.d").resolve(FileNames.TEMP_PREFIX + "123"), bytes("half"));

        assertThat(backend.list("f/")).containsExactly("real");
    }

    @Test
    void reopeningRemovesTempFilesAndEmptyDirectoriesLeftByACrash() throws IOException {
        backend.put("f/real", bytes("x"));
        Path orphanDir = Files.createDirectories(root().resolve("g.d").resolve("h.d"));
        Files.write(orphanDir.resolve(FileNames.TEMP_PREFIX + "1"), bytes("torn"));
        Files.write(root().resolve("f.d").resolve(FileNames.TEMP_PREFIX + "2"), bytes("torn"));

        FileBackend reopened = new FileBackend(root());

        assertThat(allFiles()).containsExactly(root().resolve("f.d").resolve("real"));
        assertThat(reopened.list("")).containsExactly("f/");
    }

    @Test
    void filesNotWrittenByTheBackendAreNotListed() throws IOException {
        backend.put("f/real", bytes("x"));
        Files.write(root().resolve("f.d").resolve("README.txt"), bytes("stray"));
        Files.write(root().resolve("f.d").resolve("%61"), bytes("non-canonical spelling of a"));

        assertThat(backend.list("f/")).containsExactly("real");
    }

    @Test
    void rootAndFilesAreOwnerOnly() throws IOException {
        assumeThat(AtomicFiles.POSIX).as("POSIX file permissions").isTrue();
        backend.put("dir/k", bytes("x"));

        assertThat(Files.getPosixFilePermissions(root())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(root().resolve("dir.d")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(root().resolve("dir.d").resolve("k")))
                .containsOnly(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void onDiskNamesAreLowerCaseAsciiWithEscapes() throws IOException {
        backend.put("Ünï Code/..", bytes("x"));

        assertThat(allFiles()).containsExactly(root().resolve("%C3%9Cn%C3%AF%20%43ode.d").resolve("%2E%2E"));
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(root())) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
