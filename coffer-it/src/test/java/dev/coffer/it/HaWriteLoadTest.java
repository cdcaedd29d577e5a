package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coffer.it.Cli.InitKeys;
import dev.coffer.it.HaCluster.Reply;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key HA test: several clients write KV v2 secrets continuously through all three nodes while
 * leadership is taken from the active node again and again, by one of four faults (one cluster per fault):
 * {@code kill} (SIGKILL; the node is restarted and unsealed as a standby), {@code sigterm} (clean shutdown;
 * restarted likewise), {@code stepdown} ({@code sys/step-down}; the node stays up as a standby) and
 * {@code sigstop} (the active is paused past its lease, then resumed with SIGCONT once a new active serves; it
 * must step down by itself). Every acknowledged write must be readable afterwards, and the write history (node
 * and lock generation of each acknowledgement, from the {@code X-Coffer-Node} / {@code X-Coffer-Ha-Generation}
 * headers) must show one node per generation and no write of an older generation accepted after a newer
 * generation acknowledged one; no key may have more versions than its client made attempts (a node never sends a
 * request on twice); for {@code sigstop}, no write sent after the pause may be acknowledged under the paused node's
 * generation, and every write sent through a standby during the pause must be answered (success or 503) within
 * {@value #STANDBY_CLIENTS_GRACE_MS} ms of the new active node, not left to the client's 10 s timeout. Prints the
 * time of each failover, split into phases, and median / max.
 *
 * <p>Trials per fault: {@code -Dcoffer.it.failovers=N} (default 5 for kill, 2 for the others, to keep CI fast;
 * the bench runs use 10+). {@code -Dcoffer.it.faults=stepdown,sigstop} runs only some faults.
 */
@Timeout(900)
class HaWriteLoadTest {
    private static final int CLIENTS = 6;
    private static final Pattern ACQUIRED = Pattern.compile(
            "^(\\S+) .*HA lock core/lock acquired by \\S+ \\(generation (\\d+)", Pattern.MULTILINE);
    private static final Pattern ACTIVE = Pattern.compile("^(\\S+) .*is now the active node", Pattern.MULTILINE);

    @TempDir
    Path dir;

    /** One acknowledged write. Times are System.nanoTime() of the test JVM. */
    record Ack(String key, String value, long sentNanos, long ackNanos, String node, long generation, String via) {
    }

    /**
     * One write attempt, whatever came of it: {@code status} -1 when the client got no answer (its 10 s timeout, a
     * refused connection); {@code error} is the first of the answer's errors, if any. {@code endNanos} is 0 while
     * the attempt is still in flight.
     */
    record Attempt(String key, String via, long sentNanos, long endNanos, int status, String error) {
    }

    /**
     * How long after the new active node appears (in its log) every client writing through a standby must have its
     * answer (success or a 503) for a request sent before that: the standbys abandon their forwards to the paused
     * node as soon as they see the lock move. Without that they waited for the client's 10 s timeout.
     */
    private static final long STANDBY_CLIENTS_GRACE_MS = 2_000;

    /**
     * The faults to run: those named by {@code -Dcoffer.it.faults}, else all four. (sigstop once failed about two
     * runs in three with a write acknowledged without a generation by a node losing the lock; ActiveGate fixed
     * that, and 11 sigstop trials on main since showed none.)
     */
    static List<String> faults() {
        String selected = System.getProperty("coffer.it.faults", "");
        return selected.isBlank() ? List.of("kill", "sigterm", "stepdown", "sigstop") : List.of(selected.split(","));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void everyAcknowledgedWriteSurvivesRepeatedFailoversAndGenerationsNeverOverlap(String fault) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "400").start()) {
            String url = "postgres://postgres@localhost:" + postgres.getPort() + "/postgres?sslmode=disable";
            try (HaCluster cluster = HaCluster.start(dir, url, 3)) {
                run(cluster, fault, Integer.getInteger("coffer.it.failovers", fault.equals("kill") ? 5 : 2));
            }
        }
    }

    private void run(HaCluster cluster, String fault, int failovers) throws Exception {
        InitKeys keys = new Cli(dir, cluster.nodes.get(0).address()).init();
        String token = keys.rootToken();
        List<String> unsealKeys = List.of(keys.key(1), keys.key(2), keys.key(3));
        cluster.unsealAll(unsealKeys);
        CofferProcess first = HaCluster.awaitSingleActive(cluster.nodes, Duration.ofSeconds(30));
        assertThat(HaCluster.call(first.address(), "POST", "sys/mounts/secret", token,
                "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}").status()).isEqualTo(204);

        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        Map<Integer, Attempt> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong failures = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = new Thread(() -> writeLoop(cluster, token, client, acks, failures, stop, attempts, inFlight),
                    "writer-" + c);
            t.start();
            clients.add(t);
        }

        List<long[]> phases = new ArrayList<>(); // {lock, active, firstAck} in ms after the fault
        List<Long> standbyWaits = new ArrayList<>(); // sigstop: ms from the fault until the standbys' clients had answers
        try {
            for (int round = 0; round < failovers; round++) {
                Thread.sleep(1500);
                CofferProcess active = HaCluster.awaitSingleActive(cluster.alive(), Duration.ofSeconds(30));
                int index = cluster.nodes.indexOf(active);
                long oldGeneration = generationOf(active, token);
                long faultWallMs = System.currentTimeMillis();
                long faultNanos = System.nanoTime();
                inject(fault, active, token);
                long injectedNanos = System.nanoTime(); // sigstop: all the node's threads are stopped now
                // the first write acknowledged after the fault under a newer generation (by another node)
                long firstAck = awaitFirstAckAfter(acks, faultNanos, oldGeneration, Duration.ofSeconds(30));
                long[] split = splitFromLogs(cluster, faultWallMs);
                phases.add(new long[] {split[0], split[1], (firstAck - faultNanos) / 1_000_000});
                System.out.printf("failover %d: %s -> lock taken %d ms, active %d ms, first acknowledged write %d ms%n",
                        round + 1, fault, split[0], split[1], (firstAck - faultNanos) / 1_000_000);
                acks.stream().filter(a -> a.sentNanos() > faultNanos).sorted((a, b) -> Long.compare(a.ackNanos(), b.ackNanos()))
                        .limit(4).forEach(a -> System.out.printf("  ack %d ms after the fault (sent at %d ms) via %s by %s gen %d%n",
                                (a.ackNanos() - faultNanos) / 1_000_000, (a.sentNanos() - faultNanos) / 1_000_000, a.via(),
                                a.node().substring(0, 8), a.generation()));
                cluster.alive().forEach(n -> n.output().lines().filter(l -> l.contains("activation took"))
                        .reduce((x, y) -> y).ifPresent(l -> System.out.println("  [" + n.address() + "] " + l)));
                if (fault.equals("sigstop")) {
                    standbyWaits.add(checkStandbyClientsAnswered(active.address(), faultNanos, firstAck,
                            Math.max(split[0], split[1]), attempts, inFlight));
                }
                recover(fault, cluster, index, active, oldGeneration, injectedNanos, acks, unsealKeys);
            }
            Thread.sleep(1000);
        } finally {
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }
        }

        List<Ack> history = new ArrayList<>(acks);
        history.sort((a, b) -> Long.compare(a.ackNanos(), b.ackNanos()));
        System.out.printf("write history: %d acknowledged writes, %d failed attempts (503/500/refused), %d failovers%n",
                history.size(), failures.get(), phases.size());
        printSummary(fault, phases);
        if (!standbyWaits.isEmpty()) {
            List<Long> sorted = standbyWaits.stream().sorted().toList();
            System.out.printf("failover %s -> clients of standbys answered (success or 503): median %d ms, max %d ms, all %s%n",
                    fault, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted);
        }
        checkHistory(history);
        Map<String, Integer> triesOf = new HashMap<>();
        attempts.forEach(a -> triesOf.merge(a.key(), 1, Integer::sum));

        CofferProcess active = HaCluster.awaitSingleActive(cluster.alive(), Duration.ofSeconds(30));
        List<CofferProcess> alive = cluster.alive();
        int i = 0;
        for (Ack ack : history) {
            CofferProcess node = alive.get(i++ % alive.size());
            Reply r = HaCluster.call(node.address(), "GET", "secret/data/" + ack.key(), token, null);
            assertThat(r.status()).as("acknowledged write %s (node %s, generation %d) read through %s: %s", ack.key(),
                    ack.node(), ack.generation(), node.address(), r.body()).isEqualTo(200);
            assertThat(r.body().path("data").path("data").path("v").asText()).as("value of %s", ack.key()).isEqualTo(ack.value());
            // every version of a key comes from one attempt of its client: more versions than attempts would mean a
            // node sent a request on twice
            assertThat(r.body().path("data").path("metadata").path("version").asInt()).as("versions of %s", ack.key())
                    .isLessThanOrEqualTo(triesOf.getOrDefault(ack.key(), 0));
        }
        assertThat(active).isNotNull();
    }

    /** Takes leadership from {@code active} by the chosen fault; returns once the fault is in place. */
    private static void inject(String fault, CofferProcess active, String token) {
        switch (fault) {
            case "kill" -> active.kill();
            case "sigterm" -> active.stop();
            case "sigstop" -> HaCluster.signal(active, "STOP");
            case "stepdown" -> assertThat(HaCluster.call(active.address(), "PUT", "sys/step-down", token, null).status())
                    .as("sys/step-down").isEqualTo(204);
            default -> throw new IllegalArgumentException("unknown fault " + fault);
        }
    }

    /**
     * Brings the old active back as a standby: restarted and unsealed after kill / sigterm; resumed after sigstop,
     * where it must notice the loss and step down by itself, having acknowledged no write sent during the pause.
     */
    private static void recover(String fault, HaCluster cluster, int index, CofferProcess old, long oldGeneration,
                                long pausedNanos, ConcurrentLinkedQueue<Ack> acks, List<String> unsealKeys) {
        switch (fault) {
            case "kill", "sigterm" -> HaCluster.unseal(cluster.restart(index), unsealKeys);
            case "sigstop" -> {
                long resumed = System.nanoTime();
                HaCluster.signal(old, "CONT");
                await("the resumed node steps down").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                        .until(() -> !HaCluster.isActive(old));
                System.out.printf("  SIGCONT -> the paused node reports standby: %d ms%n", (System.nanoTime() - resumed) / 1_000_000);
                sleepQuietly(500); // requests that waited on the paused node are answered by now
                List<Ack> stale = acks.stream().filter(a -> a.generation() == oldGeneration && a.sentNanos() > pausedNanos).toList();
                assertThat(stale).as("writes sent after the pause and acknowledged under the paused node's generation %d"
                        + " (sent / acknowledged ms after the pause: %s)", oldGeneration, stale.stream()
                        .map(a -> (a.sentNanos() - pausedNanos) / 1_000_000 + "/" + (a.ackNanos() - pausedNanos) / 1_000_000)
                        .toList()).isEmpty();
            }
            default -> {
            }
        }
    }

    /** The lock generation the active node serves under (its X-Coffer-Ha-Generation header). */
    private static long generationOf(CofferProcess active, String token) {
        Reply r = HaCluster.call(active.address(), "GET", "sys/leader", token, null);
        return header(r, "x-coffer-ha-generation").map(Long::parseLong)
                .orElseThrow(() -> new AssertionError("no generation header from the active node " + active.address()));
    }

    /** One client: new keys through node {@code client % 3}, moving to the next node when one does not answer. */
    static void writeLoop(HaCluster cluster, String token, int client, ConcurrentLinkedQueue<Ack> acks,
                                  AtomicLong failures, AtomicBoolean stop) {
        writeLoop(cluster, token, client, acks, failures, stop, new ConcurrentLinkedQueue<>(),
                new java.util.concurrent.ConcurrentHashMap<>());
    }

    /**
     * As above, recording every attempt in {@code attempts} once it ended and, while it runs, in {@code inFlight}
     * under the client's number. A failed write is tried again with the same key and value.
     */
    static void writeLoop(HaCluster cluster, String token, int client, ConcurrentLinkedQueue<Ack> acks,
                          AtomicLong failures, AtomicBoolean stop, ConcurrentLinkedQueue<Attempt> attempts,
                          Map<Integer, Attempt> inFlight) {
        int n = 0;
        int target = client % 3;
        while (!stop.get()) {
            String key = "load/c" + client + "-" + n;
            String value = "v" + n + "-" + client;
            CofferProcess node = cluster.nodes.get(target);
            long sent = System.nanoTime();
            inFlight.put(client, new Attempt(key, node.address(), sent, 0, 0, null));
            try {
                Reply r = HaCluster.call(node.address(), "PUT", "secret/data/" + key, token,
                        "{\"data\":{\"v\":\"" + value + "\"}}");
                long acked = System.nanoTime();
                attempts.add(new Attempt(key, node.address(), sent, acked, r.status(),
                        r.body() == null ? null : r.body().path("errors").path(0).asText(null)));
                if (r.status() == 200) {
                    String servedBy = header(r, "x-coffer-node").orElse("?");
                    long generation = header(r, "x-coffer-ha-generation").map(Long::parseLong).orElse(-1L);
                    acks.add(new Ack(key, value, sent, acked, servedBy, generation, node.address()));
                    n++;
                    continue;
                }
                failures.incrementAndGet();
            } catch (RuntimeException e) {
                attempts.add(new Attempt(key, node.address(), sent, System.nanoTime(), -1, e.toString()));
                failures.incrementAndGet();
                target = (target + 1) % 3; // that node is down (killed, restarting): use another
            } finally {
                inFlight.remove(client);
            }
            sleepQuietly(5);
        }
    }

    /**
     * SIGSTOP: every write sent through a standby before the new active node appeared (so forwarded to the paused
     * node) must have had its answer, success or 503, by {@link #STANDBY_CLIENTS_GRACE_MS} after that; none may be
     * left to the client's timeout. Waits until then, checks, and returns the ms from the fault until the last of
     * those clients had its answer. Runs before SIGCONT, so no answer can have come from the resumed node.
     */
    private static long checkStandbyClientsAnswered(String paused, long faultNanos, long firstAckNanos, long newActiveMs,
                                                   ConcurrentLinkedQueue<Attempt> attempts, Map<Integer, Attempt> inFlight) {
        long electedNanos = newActiveMs >= 0 ? faultNanos + newActiveMs * 1_000_000 : firstAckNanos;
        long boundNanos = electedNanos + STANDBY_CLIENTS_GRACE_MS * 1_000_000;
        sleepQuietly(Math.max(0, (boundNanos - System.nanoTime()) / 1_000_000) + 1);
        List<Attempt> waiting = inFlight.values().stream()
                .filter(a -> !a.via().equals(paused) && a.sentNanos() < electedNanos).toList();
        List<Attempt> relevant = attempts.stream().filter(a -> !a.via().equals(paused) && a.sentNanos() < electedNanos
                && a.endNanos() > faultNanos).toList();
        long last = relevant.stream().mapToLong(a -> a.endNanos() - faultNanos).max().orElse(0) / 1_000_000;
        Map<String, Long> outcomes = new TreeMap<>();
        relevant.forEach(a -> outcomes.merge(a.status() + (a.error() == null ? ""
                : " " + a.error().substring(0, Math.min(60, a.error().length()))), 1L, Long::sum));
        System.out.printf("  clients of standbys: %d writes in flight during the pause, the last answered %d ms after the"
                + " fault (new active at %d ms); outcomes %s%n", relevant.size(), last, newActiveMs, outcomes);
        assertThat(waiting).as("writes through a standby still waiting %d ms after the new active appeared",
                STANDBY_CLIENTS_GRACE_MS).isEmpty();
        assertThat(relevant).as("writes through a standby during the pause that got no answer")
                .allSatisfy(a -> assertThat(a.status()).isPositive());
        assertThat(relevant).as("writes through a standby during the pause answered more than %d ms after the new"
                + " active appeared", STANDBY_CLIENTS_GRACE_MS).allSatisfy(a -> assertThat(a.endNanos()).isLessThanOrEqualTo(boundNanos));
        return last;
    }

    static Optional<String> header(Reply r, String name) {
        return r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst();
    }

    private static long awaitFirstAckAfter(ConcurrentLinkedQueue<Ack> acks, long faultNanos, long oldGeneration,
                                           Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            long best = Long.MAX_VALUE;
            for (Ack a : acks) {
                if (a.sentNanos() > faultNanos && a.generation() > oldGeneration && a.ackNanos() < best) {
                    best = a.ackNanos();
                }
            }
            if (best != Long.MAX_VALUE) {
                return best;
            }
            sleepQuietly(5);
        }
        throw new AssertionError("no write acknowledged under a newer generation within " + within + " of the fault");
    }

    /** Milliseconds from the fault to the survivors' "acquired" and "is now the active node" log lines. */
    private static long[] splitFromLogs(HaCluster cluster, long killWallMs) {
        long lock = -1;
        long active = -1;
        for (CofferProcess node : cluster.alive()) {
            String out = node.output();
            Matcher m = ACQUIRED.matcher(out);
            while (m.find()) {
                long t = Instant.parse(m.group(1)).toEpochMilli();
                if (t >= killWallMs) {
                    lock = t - killWallMs;
                }
            }
            Matcher a = ACTIVE.matcher(out);
            while (a.find()) {
                long t = Instant.parse(a.group(1)).toEpochMilli();
                if (t >= killWallMs) {
                    active = t - killWallMs;
                }
            }
        }
        return new long[] {lock, active};
    }

    private static void printSummary(String fault, List<long[]> phases) {
        for (int p = 0; p < 3; p++) {
            List<Long> values = new ArrayList<>();
            for (long[] row : phases) {
                values.add(row[p]);
            }
            Collections.sort(values);
            System.out.printf("failover %s -> %s: median %d ms, max %d ms, all %s%n", fault,
                    new String[] {"lock taken", "active", "first acknowledged write"}[p],
                    values.get(values.size() / 2), values.get(values.size() - 1), values);
        }
    }

    /** One node per generation; no write acknowledged under generation g was sent after g' > g acknowledged one. */
    static void checkHistory(List<Ack> history) {
        Map<Long, String> nodeOf = new HashMap<>();
        TreeMap<Long, Long> firstAckOf = new TreeMap<>();
        for (Ack a : history) {
            assertThat(a.generation()).as("generation header on %s", a).isPositive();
            String previous = nodeOf.putIfAbsent(a.generation(), a.node());
            assertThat(previous == null || previous.equals(a.node()))
                    .as("generation %d acknowledged by two nodes: %s and %s", a.generation(), previous, a.node()).isTrue();
            firstAckOf.merge(a.generation(), a.ackNanos(), Math::min);
        }
        // earliest first-ack of any newer generation, per generation
        TreeMap<Long, Long> newerFirstAck = new TreeMap<>();
        long min = Long.MAX_VALUE;
        for (Map.Entry<Long, Long> e : firstAckOf.descendingMap().entrySet()) {
            newerFirstAck.put(e.getKey(), min);
            min = Math.min(min, e.getValue());
        }
        for (Ack a : history) {
            long newer = newerFirstAck.get(a.generation());
            assertThat(a.sentNanos() < newer).as("write %s of generation %d was sent %d ms after a newer generation"
                    + " had acknowledged a write: two nodes accepted writes in the same period", a.key(), a.generation(),
                    (a.sentNanos() - newer) / 1_000_000).isTrue();
        }
        System.out.println("generations and their nodes: " + new TreeMap<>(nodeOf));
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
