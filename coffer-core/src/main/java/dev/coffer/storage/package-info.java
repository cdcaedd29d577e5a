/**
 * The storage SPI ({@link dev.coffer.storage.StorageBackend}, {@link dev.coffer.storage.StorageFactory}),
 * the built-in {@code inmem} and {@code file} backends, and decorators for fault injection.
 *
 * <h2>Why the file backend writes temp file, fsync, rename, directory fsync</h2>
 *
 * <p>Writing a value in place can be interrupted half-way by a crash or {@code kill -9}, leaving a torn
 * value that the barrier would then reject as tampered. So {@link dev.coffer.storage.FileBackend} writes the
 * new bytes to a temp file in the same directory and:
 * <ol>
 *   <li>fsyncs the temp file, because otherwise the rename can reach the disk before the data does and a
 *       power loss leaves a complete-looking but empty or partial file;</li>
 *   <li>renames it over the entry with {@code ATOMIC_MOVE}, because rename within one directory is atomic on
 *       POSIX: readers and a crash see the old file or the new one, never a mix (same directory, so the
 *       rename never crosses a file system);</li>
 *   <li>fsyncs the directory, because the rename itself is a change to the directory, and
 *       {@code put} promises durability once it returns.</li>
 * </ol>
 * New directories are fsynced into their parent for the same reason. Temp file names start with '.', which
 * no encoded key segment can, so listings skip them and reopening a root removes those a crash left behind.
 */
package dev.coffer.storage;
