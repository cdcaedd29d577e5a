package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.storage.ReadCache;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cache_size} and {@code disable_cache} reach the core's storage read cache, in dev mode too. */
class ReadCacheServerTest {
    @TempDir
    Path dir;
    private CofferServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private CofferServer start(String settings, boolean dev) throws Exception {
        Path config = dir.resolve("coffer.hcl");
        Files.writeString(config, (dev ? "" : """
                storage "file" { path = "%s" }
                listener "tcp" {
                  address     = "127.0.0.1:0"
                  tls_disable = true
                }
                """.formatted(dir.resolve("data"))) + "disable_mlock = true\n" + settings);
        return CofferServer.start(new ServerOptions(List.of(config), dev, dev ? "127.0.0.1:0" : null, null, "warn"),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void theDefaultIsVaultsSize() throws Exception {
        server = start("", false);
        assertThat(server.core().readCache()).map(ReadCache::capacity).hasValue(131_072);
    }

    @Test
    void cacheSizeSetsTheBound() throws Exception {
        server = start("cache_size = 7\n", false);
        assertThat(server.core().readCache()).map(ReadCache::capacity).hasValue(7);
    }

    @Test
    void disableCacheLeavesTheCoreWithoutOne() throws Exception {
        server = start("disable_cache = true\n", false);
        assertThat(server.core().readCache()).isEmpty();
    }

    @Test
    void devModeHonoursTheSettings() throws Exception {
        server = start("disable_cache = true\n", true);
        assertThat(server.core().readCache()).isEmpty();
        assertThat(server.core().sealed()).isFalse();
    }
}
