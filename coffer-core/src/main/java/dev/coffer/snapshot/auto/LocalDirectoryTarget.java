package dev.coffer.snapshot.auto;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code target "local" { path = "/backups" }}: files in one directory, owner-only ({@code rw-------}), written
 * to a hidden temp file in the same directory and renamed into place, so a reader never sees a partial file.
 */
public final class LocalDirectoryTarget implements SnapshotTarget {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;

    public LocalDirectoryTarget(Path dir) {
        this.dir = dir;
    }

    @Override
    public void upload(String fileName, Path file) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + fileName + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            if (POSIX) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, dir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public List<String> list(String namePrefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(namePrefix)).forEach(names::add);
        }
        return names;
    }

    @Override
    public void delete(String fileName) throws IOException {
        Files.deleteIfExists(dir.resolve(fileName));
    }

    @Override
    public String describe() {
        return "local directory " + dir;
    }

    public static final class Factory implements SnapshotTargetFactory {
        @Override
        public String type() {
            return "local";
        }

        @Override
        public SnapshotTarget create(Map<String, String> config) {
            TargetConfig c = new TargetConfig("local", config, Set.of("path"));
            return new LocalDirectoryTarget(Path.of(c.required("path")));
        }
    }
}
