package dev.coffer.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The durable-write primitives behind {@link FileBackend}; see the package documentation for why each step
 * is needed. Every method reports failures as {@link IOException} so the caller can tell "directory vanished"
 * ({@link java.nio.file.NoSuchFileException}) from real I/O errors.
 */
final class AtomicFiles {

    /** Directory fsync and POSIX modes only exist where the file system is POSIX (Linux, macOS). */
    static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code value} so that readers and crashes see the old or the new bytes. */
    static void replace(Path target, byte[] value) throws IOException {
        Path dir = target.getParent();
        Path temp = POSIX
                ? Files.createTempFile(dir, FileNames.TEMP_PREFIX, "", ownerOnlyFile())
                : Files.createTempFile(dir, FileNames.TEMP_PREFIX, "");
        boolean moved = false;
        try {
            writeAndSync(temp, value);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static void writeAndSync(Path file, byte[] value) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Makes renames, creations and deletions inside {@code dir} durable. */
    static void syncDirectory(Path dir) throws IOException {
        if (!POSIX) {
            return; // Windows cannot open a directory as a channel; NTFS journals metadata itself.
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static FileAttribute<?> ownerOnlyDirectory() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    }

    static FileAttribute<?> ownerOnlyFile() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }
}
