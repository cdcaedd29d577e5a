package dev.coffer.storage.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Measures what the default lock timings rest on (ADR 0005): the renewal statement's round trip on a lock
 * session, with the data pool busy at the same time. Prints the figures; asserts only a wide margin.
 */
class LockTimingsTest {

    @Test
    void renewalRoundTripStaysFarBelowTheRenewTimeout() throws Exception {
        String table = TestPostgres.uniqueTable("timing");
        try (PostgresBackend backend = TestPostgres.backend(TestPostgres.config(table, "ha_enabled", "true"));
             PostgresHaLock lock = (PostgresHaLock) backend.lock("core/lock", "timer", "")) {
            assertThat(lock.tryAcquire(java.time.Duration.ZERO)).isTrue();
            long generation = lock.fencingToken().orElseThrow();
            Thread load = Thread.ofPlatform().daemon().start(() -> {
                byte[] value = new byte[4096];
                for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                    backend.put("load/" + (i % 500), value);
                }
            });
            long[] micros = new long[300];
            Sql sql = new Sql(table, table + "_ha");
            try (Connection session = TestPostgres.admin();
                 PreparedStatement renew = session.prepareStatement(sql.renewLease)) {
                for (int i = 0; i < micros.length; i++) {
                    renew.setString(1, "3000 milliseconds");
                    renew.setBoolean(2, true);
                    renew.setLong(3, 1L);
                    renew.setString(4, "core/lock");
                    renew.setString(5, "timer");
                    renew.setLong(6, generation);
                    long start = System.nanoTime();
                    renew.executeQuery().close();
                    micros[i] = (System.nanoTime() - start) / 1_000;
                }
            } finally {
                load.interrupt();
                load.join();
            }
            Arrays.sort(micros);
            System.out.printf("renewal round trip under write load: p50 %d us, p99 %d us, max %d us%n",
                    micros[micros.length / 2], micros[micros.length * 99 / 100], micros[micros.length - 1]);
            // the renewal must fit its statement timeout (the renew interval, 1 s) even under write load
            assertThat(micros[micros.length * 99 / 100]).isLessThan(1_000_000);
        } finally {
            TestPostgres.dropTables(table);
        }
    }
}
