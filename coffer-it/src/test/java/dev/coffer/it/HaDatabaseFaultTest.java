package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.coffer.it.Cli.InitKeys;
import dev.coffer.it.HaCluster.Reply;
import dev.coffer.it.HaWriteLoadTest.Ack;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Database faults under write load on a 3-node cluster (issue 5, "Database faults"): PostgreSQL stopped and
 * started again on the same port and data directory, and the active node's sessions (its lock session among
 * them) ended with {@code pg_terminate_backend}. Afterwards, with no manual action: every node is alive and
 * unsealed, exactly one is active, every acknowledged write reads back, nothing was acknowledged while the
 * database was down, and the write history shows one node per lock generation.
 */
@Timeout(900)
class HaDatabaseFaultTest {
    private static final int CLIENTS = 6;

    @TempDir
    Path dir;

    private EmbeddedPostgres postgres;
    private HaCluster cluster;
    private String token;
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        stop.set(true);
        if (cluster != null) {
            cluster.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private Path dataDir() {
        return dir.resolve("pgdata");
    }

    private EmbeddedPostgres startPostgres(int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(Files.createDirectories(dataDir()))
                .setCleanDataDirectory(false).setServerConfig("max_connections", "400");
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    private void startClusterUnderLoad() throws IOException {
        postgres = startPostgres(0);
        String url = "postgres://postgres@localhost:" + postgres.getPort() + "/postgres?sslmode=disable";
        cluster = HaCluster.start(dir, url, 3);
        InitKeys keys = new Cli(dir, cluster.nodes.get(0).address()).init();
        token = keys.rootToken();
        cluster.unsealAll(List.of(keys.key(1), keys.key(2), keys.key(3)));
        CofferProcess active = HaCluster.awaitSingleActive(cluster.nodes, Duration.ofSeconds(60));
        assertThat(HaCluster.call(active.address(), "POST", "sys/mounts/secret", token,
                "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}").status()).isEqualTo(204);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = new Thread(() -> HaWriteLoadTest.writeLoop(cluster, token, client, acks, failures, stop), "writer-" + c);
            t.start();
            clients.add(t);
        }
        awaitAckSentAfter(System.nanoTime(), Duration.ofSeconds(30));
    }

    @Test
    void postgresRestartUnderWriteLoadNeedsNoManualActionAndLosesNoAcknowledgedWrite() throws Exception {
        startClusterUnderLoad();
        CofferProcess before = HaCluster.awaitSingleActive(cluster.nodes, Duration.ofSeconds(30));
        int port = postgres.getPort();

        long stopping = System.nanoTime();
        postgres.close(); // pg_ctl stop -m fast: every session ends, the data directory stays
        long down = System.nanoTime();
        postgres = null;
        // stay down long enough for every lease (3 s) to run out: the nodes must notice, not just retry faster
        HaWriteLoadTest.sleepQuietly(5_000);
        long restarting = System.nanoTime();
        postgres = startPostgres(port);
        long up = System.nanoTime();
        System.out.printf("PostgreSQL stopped in %d ms, down %d ms, started in %d ms%n", (down - stopping) / 1_000_000,
                (restarting - down) / 1_000_000, (up - restarting) / 1_000_000);

        long firstAck = awaitAckSentAfter(up, Duration.ofSeconds(120));
        System.out.printf("first write acknowledged %d ms after PostgreSQL accepted connections again%n",
                (firstAck - up) / 1_000_000);
        printNodeLog(System.currentTimeMillis() - (System.nanoTime() - stopping) / 1_000_000);
        assertThat(acks).as("writes acknowledged while PostgreSQL was down").noneMatch(
                a -> a.sentNanos() > down && a.ackNanos() < restarting);
        CofferProcess after = finishAndCheck();
        System.out.println("active before the restart: " + before.address() + ", after: " + after.address());
    }

    @Test
    void terminatedSessionsOfTheActiveNodeNeedNoManualActionAndLoseNoAcknowledgedWrite() throws Exception {
        startClusterUnderLoad();
        CofferProcess active = HaCluster.awaitSingleActive(cluster.nodes, Duration.ofSeconds(30));
        Set<Integer> ports = clientPorts(active.pid(), postgres.getPort());
        assertThat(ports).as("the active node's connections to PostgreSQL").isNotEmpty();

        long killed;
        try (Connection admin = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"))) {
            int lockSession = lockSessionPid(admin);
            List<Integer> ended = new ArrayList<>();
            try (PreparedStatement s = admin.prepareStatement("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE client_port = ANY(?) AND pid <> pg_backend_pid()")) {
                Array array = admin.createArrayOf("int4", ports.toArray());
                s.setArray(1, array);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        if (rows.getBoolean(2)) {
                            ended.add(rows.getInt(1));
                        }
                    }
                }
            }
            killed = System.nanoTime();
            System.out.println("terminated the active node's sessions " + ended + " (lock session " + lockSession + ")");
            assertThat(ended).as("the lock session is among the terminated ones").contains(lockSession);
        }

        long firstAck = awaitAckSentAfter(killed, Duration.ofSeconds(60));
        printNodeLog(System.currentTimeMillis() - (System.nanoTime() - killed) / 1_000_000);
        System.out.printf("first write acknowledged %d ms after the sessions were terminated%n", (firstAck - killed) / 1_000_000);
        CofferProcess after = finishAndCheck();
        System.out.println("active before: " + active.address() + ", after: " + after.address());
    }

    /**
     * Lets the load run on, stops it, and checks: all three nodes alive and unsealed, one active (and it stays the
     * only one), the history has one node per generation, every acknowledged write reads back with its value.
     */
    private CofferProcess finishAndCheck() throws InterruptedException {
        long resumed = System.nanoTime();
        awaitAckSentAfter(resumed, Duration.ofSeconds(60));
        HaWriteLoadTest.sleepQuietly(1_000);
        stop.set(true);
        for (Thread t : clients) {
            t.join(30_000);
        }
        assertThat(cluster.alive()).as("no node died").hasSize(3);
        for (CofferProcess node : cluster.nodes) {
            Reply status = HaCluster.call(node.address(), "GET", "sys/seal-status", null, null);
            assertThat(status.body().path("sealed").asBoolean()).as("%s sealed", node.address()).isFalse();
        }
        CofferProcess active = HaCluster.awaitSingleActive(cluster.nodes, Duration.ofSeconds(30));
        for (int i = 0; i < 10; i++) {
            assertThat(cluster.nodes.stream().filter(HaCluster::isActive).toList()).as("active nodes").containsExactly(active);
            HaWriteLoadTest.sleepQuietly(100);
        }

        List<Ack> history = new ArrayList<>(acks);
        history.sort((a, b) -> Long.compare(a.ackNanos(), b.ackNanos()));
        System.out.printf("write history: %d acknowledged writes, %d failed attempts%n", history.size(), failures.get());
        HaWriteLoadTest.checkHistory(history);
        int i = 0;
        for (Ack ack : history) {
            CofferProcess node = cluster.nodes.get(i++ % 3);
            Reply r = HaCluster.call(node.address(), "GET", "secret/data/" + ack.key(), token, null);
            assertThat(r.status()).as("acknowledged write %s (node %s, generation %d) read through %s: %s", ack.key(),
                    ack.node(), ack.generation(), node.address(), r.body()).isEqualTo(200);
            assertThat(r.body().path("data").path("data").path("v").asText()).as("value of %s", ack.key()).isEqualTo(ack.value());
        }
        Reply fresh = HaCluster.call(cluster.nodes.get(0).address(), "PUT", "secret/data/after-fault", token,
                "{\"data\":{\"v\":\"ok\"}}");
        assertThat(fresh.status()).as("a write after the fault: %s", fresh.body()).isEqualTo(200);
        return active;
    }

    /** The nodes' HA and pool log lines since {@code sinceEpochMillis}, to see where the recovery time went. */
    private void printNodeLog(long sinceEpochMillis) {
        for (CofferProcess node : cluster.nodes) {
            node.output().lines().filter(l -> l.matches("^\\d{4}-.*") && (l.contains("HA lock") || l.contains("active node")
                    || l.contains("standby") || l.contains("Hikari") || l.contains("activation took")))
                    .filter(l -> java.time.Instant.parse(l.substring(0, l.indexOf(' '))).toEpochMilli() >= sinceEpochMillis)
                    .forEach(l -> System.out.println("  [" + node.address() + "] " + l));
        }
    }

    /** Waits for a write sent after {@code nanos} to be acknowledged; returns when it was acknowledged. */
    private long awaitAckSentAfter(long nanos, Duration within) {
        long[] first = new long[1];
        await("a write acknowledged again").atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> {
            first[0] = acks.stream().filter(a -> a.sentNanos() > nanos).mapToLong(Ack::ackNanos).min().orElse(0);
            return first[0] != 0;
        });
        return first[0];
    }

    private static int lockSessionPid(Connection admin) throws SQLException {
        // the active node's lock session holds the advisory lock (the crash hint) for as long as it holds the lease
        try (PreparedStatement s = admin.prepareStatement("SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                + " WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'coffer-ha-lock'")) {
            try (ResultSet rows = s.executeQuery()) {
                assertThat(rows.next()).as("a lock session holds the advisory lock").isTrue();
                return rows.getInt(1);
            }
        }
    }

    /** Local TCP ports of the process's connections to {@code serverPort} (Linux: /proc/PID/fd and net/tcp). */
    private static Set<Integer> clientPorts(long pid, int serverPort) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // the descriptor closed meanwhile
                }
            });
            Set<Integer> ports = new HashSet<>();
            for (String table : List.of("tcp", "tcp6")) {
                Path file = Path.of("/proc", Long.toString(pid), "net", table);
                if (!Files.exists(file)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    int remotePort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                    if (remotePort == serverPort && inodes.contains(f[9])) {
                        ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                    }
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
