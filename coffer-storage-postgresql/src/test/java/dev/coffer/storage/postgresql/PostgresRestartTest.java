package dev.coffer.storage.postgresql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.coffer.CofferException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A PostgreSQL restart (same data directory and port): the pool reconnects by itself. */
class PostgresRestartTest {

    @Test
    @Timeout(120)
    void poolReconnectsAfterPostgresRestarts(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        EmbeddedPostgres server = TestPostgres.start(EmbeddedPostgres.builder().setDataDirectory(data)
                .setCleanDataDirectory(false));
        int port = server.getPort();
        Map<String, String> config = Map.of("connection_url",
                "postgres://postgres@localhost:" + port + "/postgres", "ha_enabled", "true");
        try (PostgresBackend backend = TestPostgres.backend(config)) {
            backend.put("before", "1".getBytes(UTF_8));

            server.close();
            assertThatThrownBy(() -> backend.get("before")).isInstanceOf(CofferException.StorageFailure.class);
            server = TestPostgres.start(EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                    .setPort(port));

            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> {
                        backend.put("after", "2".getBytes(UTF_8));
                        return backend.get("before").isPresent();
                    });
            System.out.println("pool usable " + (System.nanoTime() - start) / 1_000_000 + " ms after restart");
            assertThat(backend.get("after")).hasValueSatisfying(v -> assertThat(v).isEqualTo("2".getBytes(UTF_8)));
        } finally {
            server.close();
        }
    }
}
