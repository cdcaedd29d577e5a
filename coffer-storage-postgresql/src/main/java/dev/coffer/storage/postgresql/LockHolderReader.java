package dev.coffer.storage.postgresql;

import dev.coffer.storage.HaLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads who holds an HA lock, for standbys that look for the active node (every coordinator poll, and while a
 * forwarded request waits for a failover). It has a connection of its own, like the lock session: on the data pool
 * a saturated or broken pool would hold these reads for its whole connection timeout (5 s), and with them the
 * standbys' view of which node is active. Every read is bounded by a short statement timeout plus a socket timeout
 * for a server that stopped answering; a broken connection is replaced by the next read (at once, once, when it
 * broke under a read that was already running on it).
 */
final class LockHolderReader implements AutoCloseable {

    /** Upper bound of one read: the holder is one primary-key row, so anything slower is a sick server. */
    static final Duration MAX_READ_TIMEOUT = Duration.ofSeconds(1);

    private final PostgresSettings settings;
    private final Sql sql;
    private final Duration readTimeout;

    // guarded by this
    private Connection connection;

    LockHolderReader(PostgresSettings settings, Sql sql) {
        this.settings = settings;
        this.sql = sql;
        this.readTimeout = settings.renewTimeout().compareTo(MAX_READ_TIMEOUT) < 0 ? settings.renewTimeout()
                : MAX_READ_TIMEOUT;
    }

    /** The holder with a valid lease, or empty; throws when PostgreSQL cannot say within the timeouts. */
    synchronized Optional<HaLock.LeaderInfo> read(String haKey) throws SQLException {
        boolean reused = connection != null;
        try {
            return query(connection(), haKey);
        } catch (SQLException e) {
            closeConnection();
            if (!reused || !brokenSession(e)) {
                throw e;
            }
            // the kept connection had died meanwhile (server restart, terminated backend): one fresh try
            return query(connection(), haKey);
        }
    }

    private Optional<HaLock.LeaderInfo> query(Connection c, String haKey) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql.holder)) {
            statement.setString(1, haKey);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next()
                        ? Optional.of(new HaLock.LeaderInfo(rows.getString(1), rows.getString(2), rows.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection != null) {
            return connection;
        }
        JdbcTarget target = settings.target();
        Properties properties = target.properties();
        long socketSeconds = Math.max(1, readTimeout.toSeconds() + 1);
        properties.setProperty("ApplicationName", "coffer-ha-holder");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", String.valueOf(socketSeconds));
        // a server that accepts no more bytes: the driver gives up after this, the statement timeout comes first
        properties.setProperty("socketTimeout", String.valueOf(socketSeconds));
        Connection opened = new org.postgresql.Driver().connect(target.url(), properties);
        if (opened == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + target.url());
        }
        try (Statement statement = opened.createStatement()) {
            statement.execute("SET statement_timeout = " + readTimeout.toMillis());
        } catch (SQLException e) {
            opened.close();
            throw e;
        }
        connection = opened;
        return opened;
    }

    /** Test hook: the backend pid of this reader's connection (opening it if needed). */
    synchronized int sessionPid() throws SQLException {
        try (Statement statement = connection().createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    /** Connection exceptions (08xxx), admin shutdown / termination (57P0x), or a connection the driver closed. */
    private static boolean brokenSession(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P0");
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection: the server drops its end by itself
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeConnection();
    }
}
