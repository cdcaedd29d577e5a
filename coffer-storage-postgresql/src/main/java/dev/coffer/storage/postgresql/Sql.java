package dev.coffer.storage.postgresql;

/**
 * Every statement the backend and the lock send, built once from the (validated) table names. Written for
 * this project from the schema in docs/storage/postgresql.md.
 */
final class Sql {

    final String createKvTable;
    final String createParentPathIndex;
    final String createHaTable;
    final String addHaColumns;
    final String get;
    final String put;
    final String fencedPut;
    final String delete;
    final String fencedDelete;
    final String writeAll;
    final String fencedWriteAll;
    final String writePuts;
    final String fencedWritePuts;
    final String list;
    final String holder;
    final String snapshotHasSupplementaryKeys;
    final String snapshotScan;
    final String snapshotKeys;
    final String deleteAll;
    final String copyIn;
    final String restoreFenceCheck;
    final String restoreFenceHold;
    final String lockRow;
    final String insertLease;
    final String takeLease;
    final String renewLease;
    final String releaseLease;

    /**
     * The fill factor of a KV table Coffer creates (ADR 0021). Most writes update existing rows (metadata, KV v2
     * version slots, tokens); with pages packed full an update finds no room on its row's page, so PostgreSQL moves
     * the row, adds an index entry and leaves a dead row for VACUUM. With 30 % of each page kept free, nearly all
     * updates stay on their page (HOT) and are cleaned up as pages are read. Tables that exist already are left as
     * they are: that is the database operator's setting.
     */
    static final int KV_FILLFACTOR = 70;

    Sql(String table, String haTable) {
        String indexName = unqualified(table) + "_parent_path_idx";
        createKvTable = "CREATE TABLE IF NOT EXISTS " + table + " (parent_path TEXT COLLATE \"C\" NOT NULL,"
                + " path TEXT COLLATE \"C\", key TEXT COLLATE \"C\", value BYTEA,"
                + " CONSTRAINT " + unqualified(table) + "_pkey PRIMARY KEY (path, key))"
                // room on each page for updated rows: see KV_FILLFACTOR
                + " WITH (fillfactor = " + KV_FILLFACTOR + ")";
        createParentPathIndex = "CREATE INDEX IF NOT EXISTS " + indexName + " ON " + table + " (parent_path)";
        createHaTable = "CREATE TABLE IF NOT EXISTS " + haTable + " (ha_key TEXT COLLATE \"C\" NOT NULL,"
                + " ha_identity TEXT COLLATE \"C\" NOT NULL, ha_value TEXT COLLATE \"C\","
                + " valid_until TIMESTAMPTZ NOT NULL, CONSTRAINT " + unqualified(haTable) + "_pkey PRIMARY KEY (ha_key))";
        // Coffer's additions to Vault's lock table: the fencing token and the lock session's pid (see ADR 0005)
        addHaColumns = "ALTER TABLE " + haTable + " ADD COLUMN IF NOT EXISTS generation BIGINT NOT NULL DEFAULT 0,"
                + " ADD COLUMN IF NOT EXISTS holder_pid INTEGER";

        get = "SELECT value FROM " + table + " WHERE path = ? AND key = ?";
        String upsert = " ON CONFLICT (path, key) DO UPDATE SET value = EXCLUDED.value, parent_path = EXCLUDED.parent_path";
        put = "INSERT INTO " + table + " (parent_path, path, key, value) VALUES (?, ?, ?, ?)" + upsert;
        delete = "DELETE FROM " + table + " WHERE path = ? AND key = ?";
        // FOR SHARE serializes the write with a takeover (which updates the lease row): either the write commits
        // first and the new holder sees it, or the takeover commits first and the re-checked row fails the fence.
        String fence = "WITH fence AS (SELECT 1 FROM " + haTable + " WHERE ha_key = ? AND ha_identity = ?"
                + " AND generation = ? AND valid_until > now() FOR SHARE)";
        fencedPut = fence + ", written AS (INSERT INTO " + table + " (parent_path, path, key, value)"
                + " SELECT ?::text, ?::text, ?::text, ?::bytea WHERE EXISTS (SELECT 1 FROM fence)" + upsert
                + " RETURNING 1) SELECT EXISTS (SELECT 1 FROM fence)";
        fencedDelete = fence + ", removed AS (DELETE FROM " + table + " WHERE path = ? AND key = ?"
                + " AND EXISTS (SELECT 1 FROM fence) RETURNING 1) SELECT EXISTS (SELECT 1 FROM fence)";
        // a batch (StorageBackend.writeAll) in one statement: one round trip, one commit, all or nothing. The arrays
        // hold each key once (the backend keeps the last write of a key), so the upsert and the delete never meet
        // the same row and their order does not matter.
        String batchPuts = "INSERT INTO " + table + " (parent_path, path, key, value)"
                + " SELECT u.parent_path, u.path, u.key, u.value FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[])"
                + " AS u(parent_path, path, key, value)";
        String batchDeletes = "DELETE FROM " + table + " t USING unnest(?::text[], ?::text[]) AS d(path, key)"
                + " WHERE t.path = d.path AND t.key = d.key";
        writeAll = "WITH written AS (" + batchPuts + upsert + " RETURNING 1), removed AS (" + batchDeletes
                + " RETURNING 1) SELECT true";
        fencedWriteAll = fence + ", written AS (" + batchPuts + " WHERE EXISTS (SELECT 1 FROM fence)" + upsert
                + " RETURNING 1), removed AS (" + batchDeletes + " AND EXISTS (SELECT 1 FROM fence) RETURNING 1)"
                + " SELECT EXISTS (SELECT 1 FROM fence)";
        // a batch of puts only (most KV v2 writes until a key passes max_versions, token and lease batches): no
        // delete half to run. All of these are prepared once per connection, with the index plan (ADR 0018)
        writePuts = "WITH written AS (" + batchPuts + upsert + " RETURNING 1) SELECT true";
        fencedWritePuts = fence + ", written AS (" + batchPuts + " WHERE EXISTS (SELECT 1 FROM fence)" + upsert
                + " RETURNING 1) SELECT EXISTS (SELECT 1 FROM fence)";
        // one statement, both halves range scans of the primary key (path, key): entries of the folder itself,
        // and the first segment below it of every deeper path
        list = "SELECT key FROM " + table + " WHERE path = ?"
                + " UNION SELECT split_part(substr(path, length(?) + 1), '/', 1) || '/' FROM " + table
                + " WHERE path > ? AND path < ?";

        // snapshots (ConsistentSnapshot): the full key is substr(path, 2) || key; COLLATE "C" orders it by UTF-8
        // bytes, which equals Java's String order unless a key holds a character beyond U+FFFF (checked first)
        snapshotHasSupplementaryKeys = "SELECT EXISTS (SELECT 1 FROM " + table
                + " WHERE path ~ '[\\U00010000-\\U0010FFFF]' OR key ~ '[\\U00010000-\\U0010FFFF]')";
        snapshotScan = "SELECT path, key, value FROM " + table + " ORDER BY (substr(path, 2) || key) COLLATE \"C\"";
        snapshotKeys = "SELECT path, key FROM " + table;

        // restores (AtomicRestore): one transaction; the lease is checked at the start, and held FOR SHARE from the
        // final check to the commit, against the current clock (now() is the transaction's start time)
        deleteAll = "DELETE FROM " + table;
        copyIn = "COPY " + table + " (parent_path, path, key, value) FROM STDIN (FORMAT binary)";
        String lease = "SELECT 1 FROM " + haTable + " WHERE ha_key = ? AND ha_identity = ? AND generation = ?"
                + " AND valid_until > clock_timestamp()";
        restoreFenceCheck = lease;
        restoreFenceHold = lease + " FOR SHARE";

        holder = "SELECT ha_identity, ha_value, generation FROM " + haTable + " WHERE ha_key = ? AND valid_until > now()";
        lockRow = "SELECT ha_identity, generation, valid_until > now(), holder_pid IS NOT NULL FROM " + haTable
                + " WHERE ha_key = ? FOR UPDATE";
        String leaseFields = "valid_until = now() + ?::interval, holder_pid = CASE WHEN ? THEN pg_backend_pid() END";
        insertLease = "INSERT INTO " + haTable + " (ha_key, ha_identity, ha_value, valid_until, generation, holder_pid)"
                + " VALUES (?, ?, ?, now() + ?::interval, 1, CASE WHEN ? THEN pg_backend_pid() END)"
                + " ON CONFLICT (ha_key) DO NOTHING RETURNING generation";
        takeLease = "UPDATE " + haTable + " SET ha_identity = ?, ha_value = ?, generation = generation + 1, "
                + leaseFields + " WHERE ha_key = ? RETURNING generation";
        // the advisory lock is retried here while not held, so a holder that took an expired lease without it
        // (the old session still lingered) re-arms the fast crash hint as soon as it can
        renewLease = "UPDATE " + haTable + " SET valid_until = now() + ?::interval, holder_pid = CASE WHEN ? THEN"
                + " pg_backend_pid() WHEN pg_try_advisory_lock(?) THEN pg_backend_pid() END"
                + " WHERE ha_key = ? AND ha_identity = ? AND generation = ? AND valid_until > now()"
                + " RETURNING holder_pid IS NOT NULL";
        releaseLease = "UPDATE " + haTable + " SET valid_until = '-infinity', holder_pid = NULL"
                + " WHERE ha_key = ? AND ha_identity = ? AND generation = ?";
    }

    static String interval(java.time.Duration duration) {
        return duration.toMillis() + " milliseconds";
    }

    private static String unqualified(String table) {
        return table.substring(table.indexOf('.') + 1);
    }
}
