package dev.coffer.storage.postgresql;

import dev.coffer.storage.HaLock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL HA lock: a lease row timed by the database clock, renewed on a dedicated connection (the
 * "lock session"), plus a session advisory lock on that connection as a crash hint. Rules and timings:
 * docs/decisions/0005-postgresql-ha-lock.md.
 */
final class PostgresHaLock implements HaLock {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresHaLock.class);

    private final PostgresBackend backend;
    private final PostgresSettings settings;
    private final Sql sql;
    private final String key;
    private final String identity;
    private final String value;
    private final long advisoryKey;
    private final ScheduledExecutorService renewer;

    // guarded by this: the lock session and whether it holds the advisory lock
    private Connection session;
    private boolean advisoryHeld;

    private volatile Tenure tenure;
    private volatile CompletableFuture<Void> latestLost = CompletableFuture.completedFuture(null);
    private volatile boolean renewalPaused;

    /** One holding of the lock; {@code deadline} is the local monotonic time by which the lease surely ended. */
    private static final class Tenure {
        final long generation;
        final CompletableFuture<Void> lost = new CompletableFuture<>();
        volatile long deadlineNanos;

        Tenure(long generation, long deadlineNanos) {
            this.generation = generation;
            this.deadlineNanos = deadlineNanos;
        }
    }

    PostgresHaLock(PostgresBackend backend, String key, String identity, String value) {
        this.backend = backend;
        this.settings = backend.settings();
        this.sql = backend.sql();
        this.key = key;
        this.identity = identity;
        this.value = value;
        this.advisoryKey = advisoryKey(settings.haTable(), key);
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "coffer-ha-renew-" + key);
            thread.setDaemon(true);
            return thread;
        });
        long period = settings.renewInterval().toMillis();
        renewer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean tryAcquire(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            if (attempt()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, settings.retryInterval().toNanos()));
        }
    }

    @Override
    public void acquire() throws InterruptedException {
        while (!attempt()) {
            TimeUnit.MILLISECONDS.sleep(settings.retryInterval().toMillis());
        }
    }

    /**
     * One takeover attempt. Taking over is allowed when there is no lease, when it expired by the database
     * clock, or when this session got the advisory lock although the lease says its holder had it: the
     * holder's session is then gone, and fencing rejects anything its node still tries to write.
     */
    private synchronized boolean attempt() {
        if (held()) {
            return true;
        }
        long startNanos = System.nanoTime();
        try {
            Connection connection = session();
            if (!advisoryHeld) {
                advisoryHeld = tryAdvisoryLock(connection);
            }
            connection.setAutoCommit(false);
            OptionalLong generation;
            try {
                generation = takeOver(connection);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            if (generation.isEmpty()) {
                if (advisoryHeld) {
                    // let a holder that lacks it (it took an expired lease from a lingering session) re-arm it
                    unlockAdvisory(connection);
                }
                return false;
            }
            Tenure started = new Tenure(generation.getAsLong(), startNanos + settings.leaseTtl().toNanos());
            latestLost = started.lost;
            tenure = started;
            backend.fence(new PostgresBackend.Fence(this, key, identity, started.generation));
            LOG.info("HA lock {} acquired by {} (generation {}, crash hint {})", key, identity, started.generation,
                    advisoryHeld ? "armed" : "not armed yet");
            return true;
        } catch (SQLException e) {
            LOG.debug("HA lock {}: takeover attempt failed: {}", key, settings.target().scrub(e.getMessage()));
            closeSession();
            return false;
        }
    }

    private OptionalLong takeOver(Connection connection) throws SQLException {
        boolean exists;
        boolean take;
        try (PreparedStatement statement = connection.prepareStatement(sql.lockRow)) {
            statement.setString(1, key);
            try (ResultSet row = statement.executeQuery()) {
                exists = row.next();
                take = !exists || !row.getBoolean(3) || (advisoryHeld && row.getBoolean(4));
            }
        }
        if (!take) {
            return OptionalLong.empty();
        }
        String statementText = exists ? sql.takeLease : sql.insertLease;
        try (PreparedStatement statement = connection.prepareStatement(statementText)) {
            if (exists) {
                statement.setString(1, identity);
                statement.setString(2, value);
                statement.setString(3, Sql.interval(settings.leaseTtl()));
                statement.setBoolean(4, advisoryHeld);
                statement.setString(5, key);
            } else {
                statement.setString(1, key);
                statement.setString(2, identity);
                statement.setString(3, value);
                statement.setString(4, Sql.interval(settings.leaseTtl()));
                statement.setBoolean(5, advisoryHeld);
            }
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** Runs on the renewer thread every renew interval while a tenure lasts. */
    private void renew() {
        Tenure current = tenure;
        if (current == null || renewalPaused) {
            return;
        }
        long startNanos = System.nanoTime();
        if (startNanos - current.deadlineNanos >= 0) {
            lose(current, "the lease ran out before it could be renewed");
            return;
        }
        synchronized (this) {
            if (tenure != current) {
                return;
            }
            try (PreparedStatement statement = session().prepareStatement(sql.renewLease)) {
                statement.setString(1, Sql.interval(settings.leaseTtl()));
                statement.setBoolean(2, advisoryHeld);
                statement.setLong(3, advisoryKey);
                statement.setString(4, key);
                statement.setString(5, identity);
                statement.setLong(6, current.generation);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        lose(current, "PostgreSQL no longer has this node's lease (expired or taken over)");
                        return;
                    }
                    advisoryHeld = row.getBoolean(1);
                    current.deadlineNanos = startNanos + settings.leaseTtl().toNanos();
                }
            } catch (SQLException e) {
                if (session == null || isClosed(session) || isConnectionLoss(e)) {
                    // the session, and with it the advisory lock, is gone: a standby may take over right now
                    lose(current, "the lock session to PostgreSQL broke (" + settings.target().scrub(e.getMessage()) + ")");
                } else {
                    LOG.warn("HA lock {}: renewal failed, retrying until the lease runs out: {}", key,
                            settings.target().scrub(e.getMessage()));
                }
            }
        }
    }

    private synchronized void lose(Tenure current, String reason) {
        if (tenure != current) {
            return;
        }
        tenure = null;
        // the fence stays: writes are refused until the caller releases (steps down) or acquires again
        closeSession();
        LOG.warn("HA lock {} lost by {} (generation {}): {}", key, identity, current.generation, reason);
        current.lost.complete(null);
    }

    @Override
    public synchronized void release() {
        Tenure current = tenure;
        if (current == null) {
            // after a loss: the caller has stepped down, so stop refusing its (now unfenced) writes
            backend.unfence(this);
            return;
        }
        tenure = null;
        try (PreparedStatement statement = session().prepareStatement(sql.releaseLease)) {
            statement.setString(1, key);
            statement.setString(2, identity);
            statement.setLong(3, current.generation);
            statement.executeUpdate();
            if (advisoryHeld) {
                unlockAdvisory(session);
            }
        } catch (SQLException e) {
            LOG.warn("HA lock {}: could not release the lease cleanly ({}); it expires within {} ms", key,
                    settings.target().scrub(e.getMessage()), settings.leaseTtl().toMillis());
            closeSession();
        }
        backend.unfence(this);
        LOG.info("HA lock {} released by {} (generation {})", key, identity, current.generation);
        current.lost.complete(null);
    }

    @Override
    public boolean held() {
        Tenure current = tenure;
        return current != null && System.nanoTime() - current.deadlineNanos < 0;
    }

    /** Whether the tenure of {@code generation} has not been lost or released (the renewer may lag). */
    boolean holds(long generation) {
        Tenure current = tenure;
        return current != null && current.generation == generation;
    }

    @Override
    public CompletableFuture<Void> lost() {
        return latestLost;
    }

    @Override
    public OptionalLong fencingToken() {
        Tenure current = tenure;
        return current == null ? OptionalLong.empty() : OptionalLong.of(current.generation);
    }

    @Override
    public Optional<LeaderInfo> currentHolder() {
        return backend.holder(key);
    }

    @Override
    public void close() {
        release();
        renewer.shutdownNow();
        synchronized (this) {
            closeSession();
        }
    }

    /** Test hook: the node stops renewing and stops noticing, as if its process were paused (SIGSTOP). */
    void pauseRenewal() {
        renewalPaused = true;
    }

    /** Test hook: the backend pid of the lock session, or -1 without one. */
    synchronized int sessionPid() throws SQLException {
        try (Statement statement = session().createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    private Connection session() throws SQLException {
        if (session != null && !isClosed(session)) {
            return session;
        }
        JdbcTarget target = settings.target();
        Properties properties = target.properties();
        properties.setProperty("ApplicationName", "coffer-ha-lock");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", String.valueOf(Math.max(1, settings.leaseTtl().toSeconds())));
        // a renewal that cannot even reach the server must return before the lease runs out
        properties.setProperty("socketTimeout", String.valueOf(Math.max(1, settings.renewTimeout().toSeconds() + 1)));
        Connection connection = new org.postgresql.Driver().connect(target.url(), properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + target.url());
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = " + settings.renewTimeout().toMillis());
        }
        session = connection;
        advisoryHeld = false;
        return connection;
    }

    private void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // closing a broken session: the server drops it (and its advisory lock) on its own
            }
        }
        session = null;
        advisoryHeld = false;
    }

    private boolean tryAdvisoryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, advisoryKey);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private void unlockAdvisory(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, advisoryKey);
            statement.execute();
        }
        advisoryHeld = false;
    }

    private static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Connection exceptions (08xxx) and admin shutdown / termination (57P0x) end the session. */
    private static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /** A 64-bit advisory lock id derived from table and key, so two lock tables never share one. */
    static long advisoryKey(String haTable, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("coffer-ha-lock\0" + haTable + "\0" + key).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
