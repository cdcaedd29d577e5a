package dev.coffer.snapshot.auto;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where scheduled snapshots go: a local directory, an S3 bucket, an Azure Blob container. Names are plain file
 * names ({@code coffer-snapshot-NAME-yyyyMMdd'T'HHmmss'Z'.snap}); a target may put its own prefix in front.
 */
public interface SnapshotTarget extends AutoCloseable {

    /** Stores the finished archive {@code file} under {@code fileName}; a partial upload must never be visible. */
    void upload(String fileName, Path file) throws IOException;

    /** The file names (without the target's own prefix) that start with {@code namePrefix}. */
    List<String> list(String namePrefix) throws IOException;

    void delete(String fileName) throws IOException;

    /** For logs and status: where the files go, without credentials. */
    String describe();

    @Override
    default void close() {
    }
}
