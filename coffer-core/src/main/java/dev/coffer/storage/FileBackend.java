package dev.coffer.storage;

import dev.coffer.CofferException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code storage "file"}: one file per entry under a root directory, for single-node servers.
 *
 * <p>Key segments become directories and file names through {@link FileNames}, so any key maps inside the
 * root and {@code list} returns the original names. Writes go through {@link AtomicFiles#replace}, so a
 * crash at any moment leaves either the old or the new value, never a mix. Directories left empty by a
 * delete are removed; a put that races with that removal simply recreates its directory and tries again.
 *
 * <p>One process owns a root at a time: opening it sweeps temp files and empty directories that a crash
 * may have left behind, and finishes or undoes a snapshot restore a crash interrupted.
 *
 * <p>A restore ({@link #replaceAll}) writes the new content into a sibling directory {@code <root>.restoring},
 * fsyncs it, marks it complete, then swaps directories: {@code root -> <root>.previous}, {@code <root>.restoring
 * -> root}, and deletes the previous content. Each step is a rename; a crash between them is finished at the next
 * open (the new content was complete before the first rename), a crash before them discards the staged copy.
 * When the directory is a mount point (it cannot be renamed), restores go entry by entry instead.
 */
public final class FileBackend implements StorageBackend, AtomicRestore {

    /** A put only loses this many races against concurrent directory pruning in pathological cases. */
    private static final int MAX_PUT_ATTEMPTS = 100;

    private final Path root;

    public FileBackend(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            recoverInterruptedRestore(this.root);
            if (AtomicFiles.POSIX) {
                Files.createDirectories(this.root, AtomicFiles.ownerOnlyDirectory());
            } else {
                Files.createDirectories(this.root);
            }
            sweepCrashLeftovers();
        } catch (IOException e) {
            throw failure("cannot open the storage directory " + this.root, e);
        }
    }

    /** The directory this backend stores into. */
    public Path root() {
        return root;
    }

    @Override
    public Optional<byte[]> get(String key) {
        Path file = entryPath(StorageKeys.requireKey(key));
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("cannot read a storage entry under " + root, e);
        }
    }

    @Override
    public void put(String key, byte[] value) {
        Path file = entryPath(StorageKeys.requireKey(key));
        byte[] copy = value.clone(); // the caller may mutate its array while we write
        IOException last = null;
        for (int attempt = 0; attempt < MAX_PUT_ATTEMPTS; attempt++) {
            try {
                ensureDirectory(file.getParent());
                AtomicFiles.replace(file, copy);
                return;
            } catch (NoSuchFileException e) {
                last = e; // a concurrent delete pruned our directory between creating it and writing: retry
            } catch (IOException e) {
                throw failure("cannot write a storage entry under " + root, e);
            }
        }
        throw failure("cannot write a storage entry under " + root + ": its directory kept disappearing", last);
    }

    @Override
    public void delete(String key) {
        Path file = entryPath(StorageKeys.requireKey(key));
        try {
            if (Files.deleteIfExists(file)) {
                AtomicFiles.syncDirectory(file.getParent());
                pruneEmptyDirectories(file.getParent());
            }
        } catch (NoSuchFileException e) {
            // the parent directory vanished together with the entry: nothing left to delete
        } catch (IOException e) {
            throw failure("cannot delete a storage entry under " + root, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        Path dir = folderPath(StorageKeys.requirePrefix(prefix));
        TreeSet<String> children = new TreeSet<>();
        try {
            collectChildren(dir, "", children);
        } catch (NoSuchFileException e) {
            return List.of(); // no such folder, or it was pruned while we read it
        } catch (IOException e) {
            throw failure("cannot list a storage folder under " + root, e);
        }
        return List.copyOf(children);
    }

    /** Adds the decoded children of {@code dir}; {@code carried} is the encoded name so far in continuations. */
    private void collectChildren(Path dir, String carried, TreeSet<String> out) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                if (name.startsWith(".")) {
                    continue; // temp files of writes in flight
                }
                if (name.endsWith(FileNames.CONTINUATION_SUFFIX)) {
                    collectContinuation(child, carried + strip(name, FileNames.CONTINUATION_SUFFIX), out);
                } else if (name.endsWith(FileNames.FOLDER_SUFFIX)) {
                    FileNames.decode(carried + strip(name, FileNames.FOLDER_SUFFIX)).ifPresent(s -> out.add(s + "/"));
                } else {
                    FileNames.decode(carried + name).ifPresent(out::add);
                }
            }
        }
    }

    private void collectContinuation(Path dir, String carried, TreeSet<String> out) throws IOException {
        try {
            collectChildren(dir, carried, out);
        } catch (NoSuchFileException e) {
            // pruned by a concurrent delete: it has no children any more
        }
    }

    private static String strip(String name, String suffix) {
        return name.substring(0, name.length() - suffix.length());
    }

    private Path entryPath(String key) {
        return pathOf(key, false);
    }

    private Path folderPath(String prefix) {
        return prefix.isEmpty() ? root : pathOf(prefix.substring(0, prefix.length() - 1), true);
    }

    /** Every segment but the last is a folder; the last is a value file unless {@code lastIsFolder}. */
    private Path pathOf(String key, boolean lastIsFolder) {
        String[] segments = key.split("/", -1);
        Path path = root;
        for (int i = 0; i < segments.length; i++) {
            boolean folder = lastIsFolder || i < segments.length - 1;
            for (String component : FileNames.components(segments[i], folder)) {
                path = path.resolve(component);
            }
        }
        return path;
    }

    /**
     * Creates {@code dir} and its missing parents, syncing each parent so the new directory survives a crash.
     * A {@link NoSuchFileException} means a concurrent prune removed a parent; the caller retries.
     */
    private void ensureDirectory(Path dir) throws IOException {
        if (dir.equals(root) || Files.isDirectory(dir)) {
            return;
        }
        ensureDirectory(dir.getParent());
        try {
            if (AtomicFiles.POSIX) {
                Files.createDirectory(dir, AtomicFiles.ownerOnlyDirectory());
            } else {
                Files.createDirectory(dir);
            }
            AtomicFiles.syncDirectory(dir.getParent());
        } catch (FileAlreadyExistsException e) {
            // another writer created it first, which is just as good
        }
    }

    /**
     * Removes empty directories from {@code dir} up towards the root. rmdir only succeeds on an empty
     * directory, so a concurrent put that already placed its temp file keeps the directory alive, and a put
     * that had not yet done so gets NoSuchFileException and recreates it.
     */
    private void pruneEmptyDirectories(Path dir) {
        for (Path current = dir; current != null && !current.equals(root); current = current.getParent()) {
            try {
                Files.delete(current);
                AtomicFiles.syncDirectory(current.getParent());
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return; // still in use, or someone else pruned it
            } catch (IOException e) {
                return; // best effort: an empty directory left behind only costs an inode
            }
        }
    }

    /** Removes temp files of writes a crash interrupted and the empty directories a crash left behind. */
    private void sweepCrashLeftovers() throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getFileName().toString().startsWith(FileNames.TEMP_PREFIX)) {
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                if (!dir.equals(root)) {
                    try {
                        Files.delete(dir);
                    } catch (DirectoryNotEmptyException e) {
                        // holds entries: keep it
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The marker a staged restore gets once every entry is written and synced. */
    private static final String COMPLETE_MARKER = ".coffer-restore-complete";

    private static Path staging(Path root) {
        return root.resolveSibling(root.getFileName() + ".restoring");
    }

    private static Path previous(Path root) {
        return root.resolveSibling(root.getFileName() + ".previous");
    }

    /**
     * The swap renames the storage directory, which only works when it is not a mount point (its parent is on
     * the same file store) and the parent is writable; otherwise restores go entry by entry.
     */
    @Override
    public boolean atomicRestoreAvailable() {
        Path parent = root.getParent();
        try {
            return parent != null && Files.isWritable(parent)
                    && Files.getFileStore(root).equals(Files.getFileStore(parent));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void replaceAll(EntrySource source) throws IOException {
        Path staged = staging(root);
        deleteTree(staged);
        try {
            FileBackend target = new FileBackend(staged);
            for (Entry entry = source.next(); entry != null; entry = source.next()) {
                target.put(entry.key(), entry.value());
            }
            AtomicFiles.replace(staged.resolve(COMPLETE_MARKER), new byte[0]);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staged);
            throw e;
        }
        Path old = previous(root);
        try {
            deleteTree(old);
            Files.move(root, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(staged);
            throw failure("cannot move " + root + " aside to swap in the restored content (the storage is unchanged;"
                    + " the directory must not be a mount point: put path one level below it)", e);
        }
        try {
            Files.move(staged, root, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(root.getParent());
        } catch (IOException e) {
            throw failure("the restored content is complete in " + staged + " but could not be renamed to " + root
                    + "; the next start finishes the swap", e);
        }
        Files.delete(root.resolve(COMPLETE_MARKER));
        deleteQuietly(old);
    }

    /**
     * Finishes a restore a crash interrupted after its content was complete (root moved aside, staged copy not
     * yet renamed), or discards a staged copy that never completed. The previous content is deleted only once
     * the restored one is in place.
     */
    static void recoverInterruptedRestore(Path root) throws IOException {
        Path staged = staging(root);
        Path old = previous(root);
        boolean complete = Files.exists(staged.resolve(COMPLETE_MARKER));
        if (!Files.exists(root) && complete) {
            Files.move(staged, root, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(root.getParent());
        } else if (!Files.exists(root) && Files.isDirectory(old)) {
            Files.move(old, root, java.nio.file.StandardCopyOption.ATOMIC_MOVE); // defensive: never start empty
        }
        Files.deleteIfExists(root.resolve(COMPLETE_MARKER));
        deleteTree(staged);
        deleteTree(old);
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException ignored) {
            // a leftover is removed at the next open
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static CofferException.StorageFailure failure(String what, IOException cause) {
        String reason = cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new CofferException.StorageFailure(
                what + " (" + reason + "); check that the directory exists, is writable by this user"
                        + " and that the disk is not full", cause);
    }

    @Override
    public String toString() {
        return "FileBackend[" + root + "]";
    }
}
