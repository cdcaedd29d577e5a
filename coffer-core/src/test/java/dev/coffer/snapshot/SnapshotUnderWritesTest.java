package dev.coffer.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.snapshot.SnapshotRoundTripTest.Vault;
import dev.coffer.storage.FileBackend;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.StorageBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A snapshot taken while 8 clients write is one point in time: restored into a brand-new server (its own keys,
 * then -force and the source's unseal key), every write acknowledged before the save began is there, nothing
 * newer than what was in flight when it ended, and each secret's KV metadata agrees with its data entry (they
 * are separate storage entries, so a torn view would show a version whose data is missing or older).
 */
class SnapshotUnderWritesTest {
    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"inmem", "file"})
    void saveWhileEightClientsWrite_restoresOneConsistentPointInTime(String type) throws Exception {
        AtomicLongArray acked = new AtomicLongArray(WRITERS);
        long[] before = new long[WRITERS];
        long[] inFlightAtEnd = new long[WRITERS];
        Path file = dir.resolve("s.snap");
        try (Vault source = Vault.start(storage(type, "source"), type)) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = startWriters(source, acked, stop);
            await().atMost(Duration.ofSeconds(30)).until(() -> minimum(acked) >= 5);
            for (int i = 0; i < WRITERS; i++) {
                before[i] = acked.get(i);
            }
            try (PreparedSnapshot snapshot = Snapshots.save(source.core())) {
                for (int i = 0; i < WRITERS; i++) {
                    inFlightAtEnd[i] = acked.get(i) + 1;
                }
                snapshot.writeTo(file);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            try (Vault fresh = Vault.start(storage(type, "fresh"), type)) {
                assertThat(SnapshotRoundTripTest.restore(fresh.core(), file, true).sealed()).isTrue();
                fresh.core().unseal(Base64.getEncoder().encodeToString(source.unsealKey()));
                for (int i = 0; i < WRITERS; i++) {
                    LogicalResponse r = fresh.call(Operation.READ, "secret/data/w" + i, SnapshotRoundTripTest.M.createObjectNode());
                    long n = r.data().path("data").path("v").asLong();
                    assertThat(n).as("writer %d", i).isBetween(before[i], inFlightAtEnd[i]);
                    assertThat(r.data().path("metadata").path("version").asLong()).as("version of w%d", i).isEqualTo(n);
                }
            }
        }
    }

    private StorageBackend storage(String type, String name) {
        return type.equals("inmem") ? new InmemBackend() : new FileBackend(dir.resolve(name));
    }

    /** Writer i puts 1, 2, 3, ... to secret/w{i}, so value n is version n, and records each acknowledged n. */
    private static List<Thread> startWriters(Vault vault, AtomicLongArray acked, AtomicBoolean stop) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            int id = i;
            threads.add(Thread.ofPlatform().start(() -> {
                for (long n = 1; !stop.get(); n++) {
                    ObjectNode body = SnapshotRoundTripTest.M.createObjectNode();
                    body.putObject("data").put("v", n);
                    vault.call(Operation.UPDATE, "secret/data/w" + id, body);
                    acked.set(id, n);
                }
            }));
        }
        return threads;
    }

    private static long minimum(AtomicLongArray a) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < a.length(); i++) {
            min = Math.min(min, a.get(i));
        }
        return min;
    }
}
