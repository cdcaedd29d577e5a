package dev.coffer.snapshot.auto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.snapshot.SnapshotReader;
import dev.coffer.storage.InmemBackend;
import dev.coffer.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler with a hand-moved clock: no sleeps, every run triggered by {@link SnapshotScheduler#runDue()}. */
class SnapshotSchedulerTest {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(T0);

    Core devCore(dev.coffer.storage.StorageBackend storage) {
        Core core = new Core(new CoreOptions(storage, "inmem", null, null, null, null, null, clock, null, null));
        core.devInit("root");
        return core;
    }

    SnapshotSchedule local(String name, Duration interval, int retain) {
        return new SnapshotSchedule(name, interval, retain, "local", Map.of("path", dir.toString()), "config");
    }

    List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void runsAtItsInterval_namesSortByTime_andRetentionDeletesTheOldestOfItsOwnFilesOnly() throws Exception {
        Files.writeString(dir.resolve("coffer-snapshot-daily-x-20200101T000000Z.snap"), "another schedule's file");
        Files.writeString(dir.resolve("coffer-snapshot-daily-notes.txt"), "not a snapshot");
        try (Core core = devCore(new InmemBackend());
             var sched = new SnapshotScheduler(core, List.of(local("daily", Duration.ofHours(24), 3)), new SnapshotTargets(List.of()), clock, null)) {
            core.addActiveService(sched);
            assertThat(sched.runDue()).containsExactly("daily"); // never ran: due at once
            assertThat(sched.runDue()).isEmpty();
            clock.advance(Duration.ofHours(23));
            assertThat(sched.runDue()).isEmpty();
            for (int i = 0; i < 4; i++) {
                clock.advance(Duration.ofHours(1));
                assertThat(sched.runDue()).containsExactly("daily");
                clock.advance(Duration.ofHours(23));
            }
            assertThat(files()).containsExactly(
                    "coffer-snapshot-daily-20261122T100000Z.snap",
                    "coffer-snapshot-daily-20261123T100000Z.snap",
                    "coffer-snapshot-daily-20261124T100000Z.snap",
                    "coffer-snapshot-daily-notes.txt",
                    "coffer-snapshot-daily-x-20200101T000000Z.snap");
            Path newest = dir.resolve("coffer-snapshot-daily-20261124T100000Z.snap");
            assertThat(Files.getPosixFilePermissions(newest)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            try (var in = Files.newInputStream(newest)) {
                assertThat(SnapshotReader.inspect(in).entryCount()).isPositive();
            }
            ScheduleStatus st = sched.status("daily").orElseThrow();
            assertThat(st.lastSuccess()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
            assertThat(st.lastError()).isNull();
            assertThat(st.nextRun()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        }
    }

    /** A target that fails while {@code broken} is set. */
    static final class Flaky implements SnapshotTargetFactory {
        final AtomicBoolean broken = new AtomicBoolean(true);
        final List<String> uploaded = new ArrayList<>();

        @Override
        public String type() {
            return "flaky";
        }

        @Override
        public SnapshotTarget create(Map<String, String> config) {
            return new SnapshotTarget() {
                @Override
                public void upload(String fileName, Path file) throws IOException {
                    if (broken.get()) {
                        throw new IOException("connection refused");
                    }
                    uploaded.add(fileName);
                }

                @Override
                public List<String> list(String namePrefix) {
                    return List.copyOf(uploaded);
                }

                @Override
                public void delete(String fileName) {
                    uploaded.remove(fileName);
                }

                @Override
                public String describe() {
                    return "flaky";
                }
            };
        }
    }

    @Test
    void aFailingTarget_isReportedInStatus_andTheNextRunRetries() {
        Flaky flaky = new Flaky();
        var s = new SnapshotSchedule("hourly", Duration.ofHours(1), 2, "flaky", Map.of(), "config");
        try (Core core = devCore(new InmemBackend());
             var sched = new SnapshotScheduler(core, List.of(s), new SnapshotTargets(List.of(flaky)), clock, null)) {
            sched.runDue();
            ScheduleStatus failed = sched.status("hourly").orElseThrow();
            assertThat(failed.lastError()).contains("connection refused");
            assertThat(failed.lastErrorTime()).isEqualTo(T0);
            assertThat(failed.lastSuccess()).isNull();
            assertThat(failed.consecutiveFailures()).isEqualTo(1);
            assertThat(failed.nextRun()).isEqualTo(T0.plus(Duration.ofHours(1)));

            flaky.broken.set(false);
            clock.advance(Duration.ofHours(1));
            assertThat(sched.runDue()).containsExactly("hourly");
            ScheduleStatus ok = sched.status("hourly").orElseThrow();
            assertThat(ok.lastError()).isNull();
            assertThat(ok.lastSuccess()).isEqualTo(T0.plus(Duration.ofHours(1)));
            assertThat(ok.consecutiveFailures()).isZero();
            assertThat(flaky.uploaded).containsExactly("coffer-snapshot-hourly-20261120T110000Z.snap");
        }
    }

    @Test
    void aNewActiveNode_onTheSameStorage_doesNotRunAFinishedPeriodAgain_butRunsWhenItIsDue() throws Exception {
        InmemBackend storage = new InmemBackend(); // shared: a second node, or this one after a restart
        var schedule = List.of(local("daily", Duration.ofHours(24), 5));
        byte[] key;
        try (Core a = new Core(new CoreOptions(storage, "inmem", null, null, null, null, null, clock, null, null));
             var schedA = new SnapshotScheduler(a, schedule, new SnapshotTargets(List.of()), clock, null)) {
            key = a.devInit("root").unsealKey();
            a.addActiveService(schedA);
            assertThat(schedA.runDue()).containsExactly("daily");
            clock.advance(Duration.ofHours(2));
        } // node A goes away two hours into the period
        assertThat(files()).hasSize(1);
        try (Core b = new Core(new CoreOptions(storage, "inmem", null, null, null, null, null, clock, null, null));
             var schedB = new SnapshotScheduler(b, schedule, new SnapshotTargets(List.of()), clock, null)) {
            b.unseal(Base64.getEncoder().encodeToString(key));
            b.addActiveService(schedB);
            assertThat(schedB.runDue()).as("the period A finished is not run again").isEmpty();
            assertThat(schedB.status("daily").orElseThrow().nextRun()).isEqualTo(T0.plus(Duration.ofHours(24)));
            clock.advance(Duration.ofHours(21));
            assertThat(schedB.runDue()).isEmpty();
            clock.advance(Duration.ofHours(1));
            assertThat(schedB.runDue()).as("and the next one is not skipped").containsExactly("daily");
        }
        assertThat(files()).containsExactly("coffer-snapshot-daily-20261120T100000Z.snap",
                "coffer-snapshot-daily-20261121T100000Z.snap");
    }

    @Test
    void aStandbyOrSealedNode_doesNotStartTheScheduler() {
        AtomicBoolean started = new AtomicBoolean();
        Core.ActiveService probe = new Core.ActiveService() {
            @Override
            public void start() {
                started.set(true);
            }

            @Override
            public void stop() {
                started.set(false);
            }
        };
        try (Core core = devCore(new InmemBackend())) {
            core.addActiveService(probe);
            assertThat(started).isTrue();
            core.seal();
            assertThat(started).isFalse();
        }
    }

    @Test
    void apiSchedules_areStoredBehindTheBarrier_andHclOnesAreReadOnly() {
        try (Core core = devCore(new InmemBackend());
             var sched = new SnapshotScheduler(core, List.of(local("hcl", Duration.ofHours(1), 1)), new SnapshotTargets(List.of()), clock, null)) {
            sched.put(new SnapshotSchedule("api", Duration.ofHours(6), 4, "local", Map.of("path", dir.toString()), "api"));
            assertThat(sched.schedules()).containsOnlyKeys("api", "hcl");
            assertThat(sched.schedule("api").orElseThrow().retain()).isEqualTo(4);
            assertThat(core.barrier().get(SnapshotScheduler.CONFIG_PREFIX + "api")).isPresent();
            assertThatThrownBy(() -> sched.put(local("hcl", Duration.ofHours(2), 1)))
                    .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("configuration file");
            assertThatThrownBy(() -> sched.delete("hcl")).isInstanceOf(CofferException.BadRequest.class);
            assertThatThrownBy(() -> sched.put(new SnapshotSchedule("bad", Duration.ofHours(6), 4, "local", Map.of(), "api")))
                    .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("\"path\" is required");
            assertThatThrownBy(() -> sched.put(new SnapshotSchedule("bad", Duration.ofHours(6), 4, "s3", Map.of(), "api")))
                    .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("coffer-snapshot-targets");
            assertThat(sched.delete("api")).isTrue();
            assertThat(sched.schedules()).containsOnlyKeys("hcl");
        }
    }
}
