package dev.coffer.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Appends one JSON line per entry to a file (or stdout, or nowhere with {@code discard}). After a failed
 * write or a failed reopen the file is closed, and the next write tries to open it again, so a device that
 * was failing recovers by itself once the operator fixes the directory.
 */
public final class FileAuditDevice implements AuditDevice {
    public static final String TYPE = "file";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileAuditOptions options;
    private final AuditFormat format;
    private final PrintStream stdout;
    private FileChannel channel;

    private FileAuditDevice(FileAuditOptions options, AuditFormat format, PrintStream stdout) {
        this.options = options;
        this.format = format;
        this.stdout = stdout;
    }

    /** The factory for type {@code file}: validates the options and opens the file (400 when it cannot). */
    public static AuditDevice create(AuditDeviceConfig config) {
        FileAuditOptions options = FileAuditOptions.from(config.options());
        FileAuditDevice device = new FileAuditDevice(options, AuditFormat.from(config.options()), System.out);
        if (options.file() != null) {
            try {
                device.open();
            } catch (IOException e) {
                throw new CofferException.BadRequest("cannot open audit file " + options.file() + ": " + describe(e)
                        + "; check that the directory exists and is writable by the server, or choose another file_path",
                        e);
            }
        }
        return device;
    }

    @Override
    public AuditFormat format() {
        return format;
    }

    @Override
    public synchronized void write(ObjectNode entry) throws IOException {
        byte[] line = (format.prefix() + JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        switch (options.sink()) {
            case DISCARD -> {
            }
            case STDOUT -> {
                stdout.write(line);
                stdout.flush();
                if (stdout.checkError()) {
                    throw new IOException("writing to stdout failed");
                }
            }
            case FILE -> writeFile(line);
        }
    }

    private void writeFile(byte[] line) throws IOException {
        if (channel == null) {
            open();
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Closes the file and opens {@code file_path} again: after logrotate moved it, entries go to a new file. */
    @Override
    public synchronized void reopen() throws IOException {
        if (options.file() == null) {
            return;
        }
        closeQuietly();
        open();
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void open() throws IOException {
        Path file = options.file();
        boolean existed = Files.exists(file);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (options.mode() != null && !existed) {
            applyMode(file, options.mode());
        }
    }

    private static void applyMode(Path file, Set<PosixFilePermission> mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(mode);
        }
    }

    private void closeQuietly() {
        FileChannel c = channel;
        channel = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // the channel is gone either way; the next write opens a fresh one
            }
        }
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
}
