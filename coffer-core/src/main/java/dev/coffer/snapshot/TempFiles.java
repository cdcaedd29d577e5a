package dev.coffer.snapshot;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Temp files for snapshot parts, in {@code java.io.tmpdir}, readable by the owner only. They hold barrier
 * ciphertext, never plaintext, but still are nobody else's business.
 */
final class TempFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private TempFiles() {
    }

    static Path create(String purpose) throws IOException {
        if (POSIX) {
            return Files.createTempFile("coffer-snapshot-", "." + purpose,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile("coffer-snapshot-", "." + purpose);
    }

    static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: it holds only ciphertext and lives in the temp directory
        }
    }
}
