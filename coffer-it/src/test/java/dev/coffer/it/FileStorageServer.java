package dev.coffer.it;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension for tests of one server process on file storage. The first {@link #start()} writes a plain-HTTP
 * configuration for a free port into the test's directory and starts a server from it; a later one (after the test
 * stopped or killed the process) starts a new process on the same configuration, port and data. The current process
 * is closed after the test. Register it on an instance field with {@code @RegisterExtension}; the directory is asked
 * for when the server first starts, so the test class's {@code @TempDir} field can serve ({@code () -> dir}).
 */
final class FileStorageServer implements AfterEachCallback {
    private final Supplier<Path> dir;
    private Path config;
    private int port;
    private CofferProcess process;

    FileStorageServer(Supplier<Path> dir) {
        this.dir = dir;
    }

    /** Starts a server process and waits until it answers health checks. */
    CofferProcess start() {
        if (config == null) {
            port = CofferProcess.freePort();
            config = CofferProcess.writeConfig(dir.get(), port, "");
        }
        process = CofferProcess.start(dir.get(), config, port);
        return process;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (process != null) {
            process.close();
        }
    }
}
