package dev.coffer.storage.postgresql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.storage.StorageBackend.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group commit on a real PostgreSQL: writers that queue while every statement slot is busy share one statement, and
 * each still gets exactly its own outcome.
 */
@Timeout(60)
class GroupCommitTest {

    @RegisterExtension
    final TestNodes nodes = new TestNodes("groups");
    private PostgresBackend nodeA;
    private PostgresBackend nodeB;

    @Test
    void writersQueuedBehindABusyCommitterShareOneStatement() throws Exception {
        nodeA = nodes.start();
        GroupCommit groups = nodeA.groupCommit();
        List<CompletableFuture<Void>> writers = queueWhileTheCommitterIsHeld(groups, 10, i -> List.of(
                Write.put("kv/metadata/app" + i, bytes("meta " + i)), Write.put("kv/versions/app" + i + "/1", bytes("v" + i))));
        long before = groups.statementsRun();

        releaseCommitter(groups);
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(groups.statementsRun() - before).as("statements for 10 queued batches").isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            assertThat(nodeA.get("kv/metadata/app" + i)).hasValueSatisfying(v -> assertThat(v).isNotEmpty());
            assertThat(new String(nodeA.get("kv/versions/app" + i + "/1").orElseThrow(), UTF_8)).isEqualTo("v" + i);
        }
    }

    @Test
    void laterBatchesOfOneKeyWinInQueueOrderAndDeletesApply() throws Exception {
        nodeA = nodes.start();
        nodeA.put("shared", bytes("old"));
        nodeA.put("doomed", bytes("x"));
        GroupCommit groups = nodeA.groupCommit();
        // queued one at a time, so the queue order is known: 0, 1, 2
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        holdCommitter(groups);
        writers.add(queue(groups, List.of(Write.put("shared", bytes("first")))));
        writers.add(queue(groups, List.of(Write.put("shared", bytes("second")), Write.delete("doomed"))));
        writers.add(queue(groups, List.of(Write.put("other", bytes("o")))));
        releaseCommitter(groups);
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(new String(nodeA.get("shared").orElseThrow(), UTF_8)).isEqualTo("second");
        assertThat(nodeA.get("doomed")).isEmpty();
        assertThat(new String(nodeA.get("other").orElseThrow(), UTF_8)).isEqualTo("o");
    }

    @Test
    void aKeyWrittenSeveralTimesInOneBatchEndsWithItsLastWriteAloneAndInAGroup() throws Exception {
        nodeA = nodes.start();
        nodeA.put("revived", bytes("old"));
        // alone: one key only, so the single-row statement, with the batch's last write
        nodeA.writeAll(List.of(Write.put("solo", bytes("1")), Write.delete("solo"), Write.put("solo", bytes("2"))));
        nodeA.writeAll(List.of(Write.put("solo-gone", bytes("1")), Write.put("solo-gone", bytes("2")),
                Write.delete("solo-gone")));
        assertThat(new String(nodeA.get("solo").orElseThrow(), UTF_8)).isEqualTo("2");
        assertThat(nodeA.get("solo-gone")).isEmpty();

        // in a group: repeats inside each batch, and the same key again in a later batch of the group
        GroupCommit groups = nodeA.groupCommit();
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        holdCommitter(groups);
        writers.add(queue(groups, List.of(Write.put("shared", bytes("a")), Write.put("gone", bytes("x")),
                Write.delete("shared"), Write.put("shared", bytes("b")), Write.delete("gone"))));
        writers.add(queue(groups, List.of(Write.delete("revived"), Write.put("revived", bytes("new")),
                Write.put("shared", bytes("c")), Write.put("shared", bytes("d")))));
        long before = groups.statementsRun();
        releaseCommitter(groups);
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(groups.statementsRun() - before).as("statements for 2 queued batches").isEqualTo(1);
        assertThat(new String(nodeA.get("shared").orElseThrow(), UTF_8)).isEqualTo("d");
        assertThat(nodeA.get("gone")).isEmpty();
        assertThat(new String(nodeA.get("revived").orElseThrow(), UTF_8)).isEqualTo("new");
    }

    /** The entry limit counts writes as queued, repeats included: a batch of more writes than that runs alone. */
    @Test
    void aBatchOfMoreRepeatedWritesThanAGroupHoldsRunsAloneWithItsLastWrites() throws Exception {
        nodeA = nodes.start();
        GroupCommit groups = nodeA.groupCommit();
        List<Write> big = new ArrayList<>();
        for (int i = 0; i < GroupCommit.MAX_ENTRIES + 10; i++) {
            big.add(Write.put("big/" + i % 3, bytes(Integer.toString(i))));
        }
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        holdCommitter(groups);
        writers.add(queue(groups, List.of(Write.put("small", bytes("s")))));
        writers.add(queue(groups, big));
        long before = groups.statementsRun();
        releaseCommitter(groups);
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(groups.statementsRun() - before).as("the large batch did not fit the first group").isEqualTo(2);
        int last = GroupCommit.MAX_ENTRIES + 9;
        for (int k = 0; k < 3; k++) {
            int lastOfKey = last - ((last - k) % 3);
            assertThat(new String(nodeA.get("big/" + k).orElseThrow(), UTF_8)).isEqualTo(Integer.toString(lastOfKey));
        }
        assertThat(nodeA.list("big/")).containsExactly("0", "1", "2");
        assertThat(new String(nodeA.get("small").orElseThrow(), UTF_8)).isEqualTo("s");
    }

    @Test
    void aBatchTheDatabaseRefusesFailsAloneAndTheRestOfItsGroupCommits() throws Exception {
        nodeA = nodes.start();
        nodes.installPoisonTrigger();
        GroupCommit groups = nodeA.groupCommit();
        List<CompletableFuture<Void>> writers = queueWhileTheCommitterIsHeld(groups, 6, i -> i == 3
                ? List.of(Write.put("kv/three", bytes("3")), Write.put("kv/poison", bytes("x")))
                : List.of(Write.put("kv/n" + i, bytes("n" + i))));

        releaseCommitter(groups);

        for (int i = 0; i < 6; i++) {
            if (i == 3) {
                assertThat(writers.get(i)).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                        .havingCause().isInstanceOf(CofferException.StorageFailure.class)
                        .withMessageContaining("poisoned row").withMessageContaining("none of them was written");
            } else {
                assertThat(writers.get(i)).succeedsWithin(Duration.ofSeconds(30));
                assertThat(new String(nodeA.get("kv/n" + i).orElseThrow(), UTF_8)).isEqualTo("n" + i);
            }
        }
        assertThat(nodeA.get("kv/three")).as("the refused batch is all or nothing").isEmpty();
    }

    @Test
    void aGroupQueuedByADeposedHolderIsRefusedWhole() throws Exception {
        nodeA = nodes.start("ha_enabled", "true");
        nodeB = nodes.start("ha_enabled", "true");
        try (PostgresHaLock lockA = (PostgresHaLock) nodeA.lock("core/lock", "node-a", "a");
             PostgresHaLock lockB = (PostgresHaLock) nodeB.lock("core/lock", "node-b", "b")) {
            assertThat(lockA.tryAcquire(Duration.ZERO)).isTrue();
            GroupCommit groups = nodeA.groupCommit();
            List<CompletableFuture<Void>> writers = queueWhileTheCommitterIsHeld(groups, 5,
                    i -> List.of(Write.put("kv/stale" + i, bytes("stale"))));
            lockA.pauseRenewal();
            assertThat(lockB.tryAcquire(Duration.ofSeconds(10))).isTrue();

            releaseCommitter(groups);

            for (CompletableFuture<Void> writer : writers) {
                assertThat(writer).failsWithin(Duration.ofSeconds(30)).withThrowableThat().havingCause()
                        .withMessageContaining("PostgreSQL no longer sees");
            }
            for (int i = 0; i < 5; i++) {
                assertThat(nodeB.get("kv/stale" + i)).isEmpty();
            }
        }
    }

    @Test
    void anInterruptedWriterStillWaitsForItsCommitAndKeepsTheInterrupt() throws Exception {
        nodeA = nodes.start();
        GroupCommit groups = nodeA.groupCommit();
        holdCommitter(groups);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        CountDownLatch returned = new CountDownLatch(1);
        Thread writer = Thread.ofPlatform().start(() -> {
            nodeA.put("kv/interrupted", bytes("kept"));
            interruptedAfter.set(Thread.currentThread().isInterrupted());
            returned.countDown();
        });
        awaitQueued(groups, 1);
        writer.interrupt();
        assertThat(returned.await(300, TimeUnit.MILLISECONDS)).as("returned before its commit").isFalse();

        releaseCommitter(groups);

        assertThat(returned.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(interruptedAfter).isTrue();
        assertThat(new String(nodeA.get("kv/interrupted").orElseThrow(), UTF_8)).isEqualTo("kept");
    }

    @Test
    void closingWritesWhatIsQueuedAndRefusesLaterWritesAtOnce() throws Exception {
        nodeA = nodes.start();
        GroupCommit groups = nodeA.groupCommit();
        List<CompletableFuture<Void>> writers = queueWhileTheCommitterIsHeld(groups, 3,
                i -> List.of(Write.put("kv/queued" + i, bytes("q" + i))));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(groups::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!groups.closed()) {
            assertThat(System.nanoTime()).as("close() started").isLessThan(deadline);
            Thread.sleep(5);
        }

        assertThatThrownBy(() -> nodeA.put("kv/late", bytes("late")))
                .isInstanceOf(CofferException.StorageFailure.class).hasMessageContaining("the backend is closed")
                .hasMessageContaining("nothing was written");
        assertThat(closing).as("close waits for the queued batches").isNotDone();

        releaseCommitter(groups);

        closing.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            assertThat(writers.get(i)).succeedsWithin(Duration.ofSeconds(30));
            assertThat(new String(nodeA.get("kv/queued" + i).orElseThrow(), UTF_8)).isEqualTo("q" + i);
        }
        assertThat(nodeA.get("kv/late")).isEmpty();
    }

    @Test
    void manyConcurrentWritersAllLandWithTheirLastWrites() throws Exception {
        nodeA = nodes.start();
        int threads = 16;
        int perThread = 40;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    nodeA.writeAll(List.of(Write.put("w" + id + "/k" + i, bytes(id + ":" + i)),
                            Write.put("w" + id + "/last", bytes(Integer.toString(i)))));
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        for (int t = 0; t < threads; t++) {
            assertThat(nodeA.list("w" + t + "/")).hasSize(perThread + 1);
            assertThat(new String(nodeA.get("w" + t + "/last").orElseThrow(), UTF_8)).isEqualTo(Integer.toString(perThread - 1));
        }
    }

    // --- helpers: hold the committer so writers queue, then let it go ---

    private interface Batches {
        List<Write> of(int i);
    }

    private List<CompletableFuture<Void>> queueWhileTheCommitterIsHeld(GroupCommit groups, int n, Batches batches)
            throws InterruptedException {
        holdCommitter(groups);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            writers.add(queue(groups, batches.of(i)));
        }
        return writers;
    }

    private CompletableFuture<Void> queue(GroupCommit groups, List<Write> batch) throws InterruptedException {
        int queued = groups.queued();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                nodeA.writeAll(batch);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        awaitQueued(groups, queued + 1);
        return done;
    }

    /** Keeps the committer from taking a group (it waits for the permit it holds while running one). */
    private static void holdCommitter(GroupCommit groups) throws InterruptedException {
        assertThat(groups.running().tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void releaseCommitter(GroupCommit groups) {
        groups.running().release();
    }

    private static void awaitQueued(GroupCommit groups, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (groups.queued() < n) {
            assertThat(System.nanoTime()).as("writers queued").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
