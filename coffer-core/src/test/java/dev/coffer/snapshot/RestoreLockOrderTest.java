package dev.coffer.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.coffer.audit.AuditDeviceConfig;
import dev.coffer.core.Core;
import dev.coffer.logical.BackendFactory;
import dev.coffer.snapshot.SnapshotRoundTripTest.Vault;
import dev.coffer.snapshot.auto.SnapshotScheduler;
import dev.coffer.snapshot.auto.SnapshotTargets;
import dev.coffer.storage.FileBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore replaces all data holding both storage gates, and inside them stops and restarts the active services
 * (scheduled snapshots, audit devices, mount table). Another thread that holds one of those services' locks while
 * it waits for storage must not deadlock with it. Each test starts such a thread once the restore holds the gates,
 * waits until it is stuck on something the restore holds, then expects both to finish.
 */
class RestoreLockOrderTest {
    private static final long DEADLINE_SECONDS = 30;

    @TempDir
    Path dir;

    @Test
    void aScheduledSnapshotCheckWaitingForStorage_doesNotDeadlockTheRestore() throws Exception {
        Vault v = Vault.start(new FileBackend(dir.resolve("data")), "file");
        InsideRestore hook = new InsideRestore();
        v.core().addActiveService(hook); // before the scheduler: its stop runs first
        SnapshotScheduler scheduler = new SnapshotScheduler(v.core(), List.of(), new SnapshotTargets(List.of()),
                Clock.systemUTC(), null);
        v.core().addActiveService(scheduler);
        Path snap = prepare(v);

        hook.arm(scheduler::runDue); // what the scheduler's tick runs every 10 s in a server
        restoreOrFail(v, snap, hook);

        assertThat(hook.result.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).isEqualTo(List.of());
        assertRestored(v);
        v.close();
    }

    @Test
    void aMountWaitingForStorage_doesNotDeadlockTheRestore_andLandsInTheRestoredTable() throws Exception {
        Vault v = Vault.start(new FileBackend(dir.resolve("data")), "file");
        InsideRestore hook = new InsideRestore();
        v.core().addActiveService(hook);
        Path snap = prepare(v);

        hook.arm(() -> v.core().mounts().mount(BackendFactory.Kind.SECRET, "raced/", "kv", "", Map.of(), Map.of()));
        restoreOrFail(v, snap, hook);

        hook.result.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(v.core().mounts().find(BackendFactory.Kind.SECRET, "raced/")).isPresent();
        assertRestored(v);
        v.close();
    }

    @Test
    void anAuditEnableWaitingForStorage_doesNotDeadlockTheRestore_andLandsInTheRestoredTable() throws Exception {
        Vault v = Vault.start(new FileBackend(dir.resolve("data")), "file");
        InsideRestore hook = new InsideRestore();
        v.core().addActiveService(hook);
        Path snap = prepare(v);

        hook.arm(() -> v.core().auditBroker().enable(new AuditDeviceConfig("raced", "file", null,
                Map.of("file_path", dir.resolve("audit.log").toString()), false)));
        restoreOrFail(v, snap, hook);

        hook.result.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(v.core().auditBroker().list()).extracting(AuditDeviceConfig::path).contains("raced/");
        assertRestored(v);
        v.close();
    }

    /** Writes "early", saves a snapshot, then writes "late", which the restore must drop. */
    private Path prepare(Vault v) throws Exception {
        v.put("early", "1");
        Path snap = SnapshotRoundTripTest.saveTo(v.core(), dir.resolve("s.snap"));
        v.put("late", "2");
        return snap;
    }

    private static void assertRestored(Vault v) {
        assertThat(v.core().sealed()).isFalse();
        assertThat(v.get("early")).contains("1");
        assertThat(v.get("late")).isEmpty();
    }

    /**
     * Restores on another thread; fails (leaving the deadlocked core unclosed) with both threads' stacks when it does
     * not finish in time, and when the contender never got stuck on what the restore holds.
     */
    private void restoreOrFail(Vault v, Path snap, InsideRestore hook) throws Exception {
        AtomicReference<Thread> restorer = new AtomicReference<>();
        CompletableFuture<Snapshots.Restored> restore = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            restorer.set(Thread.currentThread());
            try {
                restore.complete(SnapshotRoundTripTest.restore(v.core(), snap, false));
            } catch (Throwable e) {
                restore.completeExceptionally(e);
            }
        }, "restorer");
        t.setDaemon(true);
        t.start();
        try {
            assertThat(restore.get(DEADLINE_SECONDS, TimeUnit.SECONDS).sealed()).isFalse();
        } catch (TimeoutException e) {
            fail("the restore did not finish within " + DEADLINE_SECONDS + " s (deadlock?)\n" + stack(t)
                    + stack(hook.contender));
        }
        assertThat(hook.stuck).as("what the contender waited on while the restore held the gates").isNotNull();
    }

    private static String stack(Thread t) {
        if (t == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("\"" + t.getName() + "\" " + t.getState() + " on "
                + LockSupport.getBlocker(t) + "\n");
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("    at ").append(e).append('\n');
        }
        return sb.toString();
    }

    /**
     * An active service whose stop, which the restore runs inside its exclusive section, starts the armed work once
     * on its own thread and returns when that thread is stuck (parked on a lock or blocked on a monitor).
     */
    static final class InsideRestore implements Core.ActiveService {
        private final AtomicReference<Callable<?>> armed = new AtomicReference<>();
        final CompletableFuture<Object> result = new CompletableFuture<>();
        volatile Thread contender;
        /** The contender's state and blocker once it was stuck; null if it never was. */
        volatile String stuck;

        void arm(Callable<?> work) {
            armed.set(work);
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
            Callable<?> work = armed.getAndSet(null);
            if (work == null) {
                return;
            }
            Thread t = new Thread(() -> {
                try {
                    result.complete(work.call());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }, "contender");
            t.setDaemon(true);
            contender = t;
            t.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() - deadline < 0 && !result.isDone()) {
                Thread.State s = t.getState();
                if (s == Thread.State.BLOCKED || s == Thread.State.WAITING) {
                    stuck = s + " on " + LockSupport.getBlocker(t);
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }
}
