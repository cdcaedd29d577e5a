package dev.coffer.storage.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.coffer.CofferException;
import dev.coffer.storage.AtomicRestore;
import dev.coffer.storage.ConsistentSnapshot;
import dev.coffer.storage.HaBackend;
import dev.coffer.storage.HaLock;
import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.StorageKeys;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code storage "postgresql"}: Vault's table layout on a HikariCP pool, with an HA lock whose tenure fences
 * every write (see {@link HaBackend}). The lock uses its own connection, never one from this pool; so do the
 * standbys' reads of the lock holder ({@link LockHolderReader}), a
 * snapshot ({@link ConsistentSnapshot}: one repeatable-read transaction read through a cursor, writers go on)
 * and a restore ({@link AtomicRestore}: one fenced transaction, see {@link PostgresRestore}).
 */
public final class PostgresBackend implements StorageBackend, HaBackend, ConsistentSnapshot, AtomicRestore {

    /** Rows per round trip of the snapshot cursor: about 1 MiB of 4 KiB values, a few entries of huge ones. */
    static final int SNAPSHOT_FETCH_ROWS = 256;
    private static final AtomicInteger SNAPSHOTS = new AtomicInteger();
    /** Session settings of the data pool's connections; see {@link #poolConfig}. */
    static final String PLANNER_SETTINGS = "SET enable_seqscan = off; SET enable_hashjoin = off;"
            + " SET enable_mergejoin = off; SET plan_cache_mode = force_generic_plan";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresBackend.class);

    private final PostgresSettings settings;
    private final Sql sql;
    private final HikariDataSource pool;
    private final LockHolderReader holderReader;
    private volatile Fence fence;
    private final GroupCommit groups;

    /** The tenure that fences writes: set when a lock of this backend is acquired, cleared by its release. */
    record Fence(PostgresHaLock lock, String haKey, String identity, long generation) {
    }

    PostgresBackend(PostgresSettings settings) {
        this.settings = settings;
        this.sql = new Sql(settings.table(), settings.haTable());
        this.holderReader = new LockHolderReader(settings, sql);
        this.pool = new HikariDataSource(poolConfig(settings));
        this.groups = new GroupCommit(this);
        try {
            connectWithRetries();
            if (!settings.skipCreateTable()) {
                createTables();
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        groups.start();
        LOG.info("storage postgresql: using table {} at {}{}", settings.table(), settings.target(),
                settings.haEnabled() ? ", HA lock table " + settings.haTable() : "");
    }

    private static HikariConfig poolConfig(PostgresSettings settings) {
        JdbcTarget target = settings.target();
        Properties properties = target.properties();
        HikariConfig config = new HikariConfig();
        config.setPoolName("coffer-postgresql");
        config.setDriverClassName("org.postgresql.Driver");
        config.setJdbcUrl(target.url());
        String user = (String) properties.remove("user");
        String password = (String) properties.remove("password");
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        properties.putIfAbsent("ApplicationName", "coffer");
        properties.putIfAbsent("tcpKeepAlive", "true");
        config.setDataSourceProperties(properties);
        // Every statement sent on these sessions is a primary-key lookup or range, or a join of a batch's arrays to
        // the primary key. Planned once and cached (a server-side prepared statement with a generic plan), such a
        // plan must not depend on how large the table was when it was made: a plan cached while the table was
        // small scans it whole after it grew (ADR 0017). These session settings make the one plan the index plan
        // whatever the table's size, so batches are parsed and planned once per connection (ADR 0018). Snapshots,
        // restores and the lock use sessions of their own, without them.
        config.setConnectionInitSql(PLANNER_SETTINGS);
        config.setMaximumPoolSize(settings.maxParallel());
        config.setMinimumIdle(settings.maxIdleConnections());
        config.setConnectionTimeout(5_000);
        // do not fail while building the pool: connectWithRetries() reports a reachable-or-not verdict itself
        config.setInitializationFailTimeout(-1);
        config.setRegisterMbeans(false);
        return config;
    }

    private void connectWithRetries() {
        long backoffMillis = 1_000;
        for (int attempt = 0; ; attempt++) {
            try (Connection connection = pool.getConnection()) {
                return;
            } catch (SQLException e) {
                if (attempt >= settings.maxConnectRetries()) {
                    throw failure("cannot connect to " + settings.target() + " after " + (attempt + 1)
                            + " attempt(s)", e, connectAdvice(e) + "; max_connect_retries sets how often to retry");
                }
                LOG.warn("storage postgresql: cannot connect to {} ({}); retrying in {} ms", settings.target(),
                        settings.target().scrub(reason(e)), backoffMillis);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failure("interrupted while connecting to " + settings.target(), e, "");
                }
                backoffMillis = Math.min(backoffMillis * 2, 10_000);
            }
        }
    }

    /**
     * Creates the tables and index when absent. Each statement runs on its own (autocommit): nodes of a cluster
     * start together, and two concurrent {@code CREATE ... IF NOT EXISTS} of the same name can both pass the
     * existence check, so the loser fails with a unique violation on the catalog (23505) or "already exists"
     * (42P07, 42710). That failure means the object now exists, so the statement is simply run again. The HA
     * table's extra columns are added only when missing: {@code ALTER TABLE} takes an exclusive lock that would
     * queue behind the live cluster's fenced writes.
     */
    private void createTables() {
        executeDdl(sql.createKvTable);
        executeDdl(sql.createParentPathIndex);
        if (settings.haEnabled()) {
            executeDdl(sql.createHaTable);
            if (!haColumnsPresent()) {
                executeDdl(sql.addHaColumns);
            }
        }
    }

    private void executeDdl(String ddl) {
        final int attempts = 5;
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.execute(ddl);
                return;
            } catch (SQLException e) {
                if (attempt < attempts && createdConcurrently(e)) {
                    LOG.debug("storage postgresql: another node created the same object at the same time ({});"
                            + " running the statement again", e.getSQLState());
                    continue;
                }
                throw failure("cannot create table " + settings.table()
                        + (settings.haEnabled() ? " / " + settings.haTable() : ""), e,
                        "grant the user CREATE on the schema, or create the tables yourself and set skip_create_table");
            }
        }
    }

    /** Errors a concurrent {@code CREATE ... IF NOT EXISTS} of the same object raises in the slower session. */
    static boolean createdConcurrently(SQLException e) {
        String state = e.getSQLState();
        return "23505".equals(state) || "42P07".equals(state) || "42710".equals(state);
    }

    private boolean haColumnsPresent() {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_attribute"
                     + " WHERE attrelid = to_regclass(?) AND attname IN ('generation', 'holder_pid') AND NOT attisdropped")) {
            statement.setString(1, settings.haTable());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getInt(1) == 2;
            }
        } catch (SQLException e) {
            throw failure("cannot read the columns of " + settings.haTable(), e, "");
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        KeySplit split = KeySplit.of(StorageKeys.requireKey(key));
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql.get)) {
            statement.setString(1, split.path());
            statement.setString(2, split.key());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read an entry from " + settings.table(), e, "");
        }
    }

    @Override
    public void put(String key, byte[] value) {
        StorageKeys.requireKey(key);
        groups.write(List.of(Write.put(key, value)), currentFence());
    }

    @Override
    public void delete(String key) {
        StorageKeys.requireKey(key);
        groups.write(List.of(Write.delete(key)), currentFence());
    }

    /** One statement, one commit per batch. */
    @Override
    public boolean atomicBatches() {
        return true;
    }

    /** The whole batch in one fenced statement, possibly shared with other writers' batches: see {@link GroupCommit}. */
    @Override
    public void writeAll(List<Write> writes) {
        for (Write write : writes) {
            StorageKeys.requireKey(write.key());
        }
        if (!writes.isEmpty()) {
            groups.write(writes, currentFence());
        }
    }

    @Override
    public List<String> list(String prefix) {
        String path = KeySplit.pathOfPrefix(StorageKeys.requirePrefix(prefix));
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql.list)) {
            statement.setString(1, path);
            statement.setString(2, path);
            statement.setString(3, path);
            statement.setString(4, KeySplit.upperBound(path));
            // sorted here: COLLATE "C" orders by UTF-8 bytes, Java's String order is by UTF-16 units
            TreeSet<String> names = new TreeSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return new ArrayList<>(names);
        } catch (SQLException e) {
            throw failure("cannot list entries of " + settings.table(), e, "");
        }
    }

    /**
     * Every entry as of one point in time, in ascending key order, while writes go on: one {@code REPEATABLE READ
     * READ ONLY} transaction on a connection of its own (not from the pool, so a long snapshot never starves
     * requests), read through a server-side cursor ({@value #SNAPSHOT_FETCH_ROWS} rows per fetch), so memory
     * stays flat. PostgreSQL sorts by the full key in byte order ({@code COLLATE "C"}), which is Java's
     * {@link String#compareTo} order unless some key holds a character beyond U+FFFF (UTF-16 sorts those before
     * U+E000..U+FFFF, UTF-8 after); the first statement checks that, and in that rare case the keys alone are
     * sorted here and the values read one by one, still in the same transaction.
     */
    @Override
    public void snapshot(EntryVisitor visitor) throws IOException {
        try (Connection connection = session("coffer-snapshot-" + SNAPSHOTS.incrementAndGet())) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                // the transaction's snapshot is taken by its first statement: this one
                boolean supplementary;
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery(sql.snapshotHasSupplementaryKeys)) {
                    supplementary = rows.next() && rows.getBoolean(1);
                }
                if (supplementary) {
                    snapshotSortedHere(connection, visitor);
                } else {
                    snapshotSortedByServer(connection, visitor);
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw failure("cannot read a snapshot of " + settings.table(), e, "");
        }
    }

    private void snapshotSortedByServer(Connection connection, EntryVisitor visitor) throws SQLException, IOException {
        try (PreparedStatement statement = connection.prepareStatement(sql.snapshotScan,
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(SNAPSHOT_FETCH_ROWS);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    visitor.visit(fullKey(rows.getString(1), rows.getString(2)), rows.getBytes(3));
                }
            }
        }
    }

    private void snapshotSortedHere(Connection connection, EntryVisitor visitor) throws SQLException, IOException {
        TreeSet<String> keys = new TreeSet<>();
        try (PreparedStatement statement = connection.prepareStatement(sql.snapshotKeys)) {
            statement.setFetchSize(4 * SNAPSHOT_FETCH_ROWS);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(fullKey(rows.getString(1), rows.getString(2)));
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.get)) {
            for (String key : keys) {
                KeySplit split = KeySplit.of(key);
                statement.setString(1, split.path());
                statement.setString(2, split.key());
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) { // always: same transaction snapshot as the key list
                        visitor.visit(key, rows.getBytes(1));
                    }
                }
            }
        }
    }

    /** The storage key of a row: path {@code /a/b/} and key {@code c} are {@code a/b/c} (see {@link KeySplit}). */
    static String fullKey(String path, String key) {
        return path.substring(1) + key;
    }

    /** Replaces every row in one transaction (see {@link PostgresRestore}), fenced by this node's HA tenure. */
    @Override
    public void replaceAll(EntrySource source) throws IOException {
        new PostgresRestore(this).replaceAll(source, currentFence());
    }

    /** A session of its own (snapshot, restore), outside the pool so it never starves requests. */
    Connection session(String applicationName) throws SQLException {
        JdbcTarget target = settings.target();
        Properties properties = target.properties();
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("tcpKeepAlive", "true");
        // binary transfer from the first execution: bytea arrives as raw bytes, not hex text (half the bytes, and
        // no hex encoding in the server nor decoding here); the driver only switches after 5 runs otherwise
        properties.setProperty("prepareThreshold", "-1");
        Connection connection = new org.postgresql.Driver().connect(target.url(), properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + target.url());
        }
        return connection;
    }

    @Override
    public boolean haEnabled() {
        return settings.haEnabled();
    }

    @Override
    public HaLock lock(String key, String identity, String value) {
        if (!settings.haEnabled()) {
            throw new CofferException.UnsupportedOperation("storage \"postgresql\": HA is off: set ha_enabled = \"true\""
                    + " in the storage stanza to run several nodes");
        }
        if (key == null || key.isEmpty() || identity == null || identity.isEmpty()) {
            throw new CofferException.BadRequest("HA lock key and identity must not be empty");
        }
        return new PostgresHaLock(this, key, identity, value == null ? "" : value);
    }

    @Override
    public void close() {
        groups.close();
        holderReader.close();
        pool.close();
    }

    PostgresSettings settings() {
        return settings;
    }

    Sql sql() {
        return sql;
    }

    GroupCommit groupCommit() {
        return groups;
    }

    /** A connection of the data pool. */
    Connection pooledConnection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Reads the lease's holder on a connection of its own ({@link LockHolderReader}), never the data pool nor the
     * lock session: standbys ask this often, and a busy pool must not hide the active node from them.
     */
    Optional<HaLock.LeaderInfo> holder(String haKey) {
        try {
            return holderReader.read(haKey);
        } catch (SQLException e) {
            throw failure("cannot read the HA lock " + haKey + " from " + settings.haTable(), e, "");
        }
    }

    /** Test hook: the backend pid of the holder reader's connection. */
    int holderSessionPid() throws SQLException {
        return holderReader.sessionPid();
    }

    void fence(Fence tenure) {
        fence = tenure;
    }

    void unfence(PostgresHaLock lock) {
        Fence current = fence;
        if (current != null && current.lock() == lock) {
            fence = null;
        }
    }

    Fence currentFence() {
        Fence current = fence;
        if (current != null && !current.lock().holds(current.generation())) {
            throw new CofferException.StorageFailure("lost leadership: write refused: this node no longer holds"
                    + " the HA lock " + current.haKey() + " (generation " + current.generation() + ")", null);
        }
        return current;
    }

    static int setFence(PreparedStatement statement, Fence current) throws SQLException {
        statement.setString(1, current.haKey());
        statement.setString(2, current.identity());
        statement.setLong(3, current.generation());
        return 4;
    }

    static void requireFenceHeld(PreparedStatement statement, Fence current) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            if (!rows.next() || !rows.getBoolean(1)) {
                throw new CofferException.StorageFailure("lost leadership: write refused: PostgreSQL no longer sees"
                        + " this node's lease on HA lock " + current.haKey() + " (generation " + current.generation()
                        + ") as valid; another node may be active", null);
            }
        }
    }

    /** A StorageFailure that says what failed, the driver's reason (password scrubbed) and what to do. */
    /** What to fix when no connection could be made, from the server's SQLSTATE when it answered. */
    static String connectAdvice(SQLException e) {
        String state = sqlState(e) == null ? "" : sqlState(e);
        if (state.startsWith("28")) {
            return "the server refused the user or password of connection_url (or pg_hba.conf does not let this"
                    + " user connect from this host)";
        }
        if (state.equals("3D000")) {
            return "the database named in connection_url does not exist: create it or correct the name";
        }
        if (state.equals("42704") && reason(e).contains("configuration parameter")) {
            return "Coffer needs PostgreSQL 12 or later (it sets plan_cache_mode on its sessions)";
        }
        return "check connection_url, that the server is up and reachable and that the user and password are right";
    }

    /**
     * The message to show for {@code e}: when the pool gave up waiting for a connection, the reason the last attempt
     * failed (the server's own words: "database ... does not exist", "password authentication failed", "Connection
     * refused") rather than the pool's "request timed out".
     */
    static String reason(SQLException e) {
        if (e instanceof SQLTransientConnectionException && e.getCause() != null) {
            Throwable root = e.getCause();
            for (int depth = 0; root.getCause() != null && depth < 8; depth++) {
                root = root.getCause();
            }
            if (root.getMessage() != null) {
                return root.getMessage() + " (no connection from the pool: " + e.getMessage() + ")";
            }
        }
        return String.valueOf(e.getMessage());
    }

    /** The SQLSTATE of the innermost exception that has one: the server's, under the pool's wrappers. */
    static String sqlState(SQLException e) {
        String state = null;
        Throwable t = e;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                state = sql.getSQLState();
            }
        }
        return state;
    }

    CofferException.StorageFailure failure(String what, SQLException e, String advice) {
        String reason = settings.target().scrub(reason(e));
        String state = sqlState(e) == null ? "" : " [SQLSTATE " + sqlState(e) + "]";
        return new CofferException.StorageFailure("storage \"postgresql\": " + what + ": " + reason + state
                + (advice.isEmpty() ? "" : "; " + advice), new SQLException(reason, sqlState(e), e.getErrorCode()));
    }
}
