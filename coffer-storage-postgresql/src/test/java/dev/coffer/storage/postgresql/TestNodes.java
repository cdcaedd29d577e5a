package dev.coffer.storage.postgresql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Nodes of one test on one table of their own: register as an instance field with {@code @RegisterExtension}, start
 * nodes with {@link #start}; after each test they are closed and the table, its HA table and the poison trigger's
 * function are dropped.
 */
final class TestNodes implements AfterEachCallback {

    private final String table;
    private final List<PostgresBackend> started = new ArrayList<>();

    TestNodes(String stem) {
        this.table = TestPostgres.uniqueTable(stem);
    }

    String table() {
        return table;
    }

    /** A new node on the table; {@code extra} are more settings as name, value pairs. */
    PostgresBackend start(String... extra) {
        PostgresBackend node = TestPostgres.backend(TestPostgres.config(table, extra));
        started.add(node);
        return node;
    }

    /**
     * A real failure inside a statement, after earlier rows were written: from now on PostgreSQL refuses every insert
     * of a row whose key (the last path segment) is {@code poison}, raising "poisoned row".
     */
    void installPoisonTrigger() throws SQLException {
        try (Connection admin = TestPostgres.admin(); Statement s = admin.createStatement()) {
            s.execute("CREATE FUNCTION " + poisonFunction() + " RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.key = 'poison' THEN RAISE EXCEPTION 'poisoned row'; END IF; RETURN NEW; END $$");
            s.execute("CREATE TRIGGER poison BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION "
                    + poisonFunction());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        try {
            for (PostgresBackend node : started) {
                node.close();
            }
        } finally {
            started.clear();
            TestPostgres.dropTables(table);
            try (Connection admin = TestPostgres.admin(); Statement s = admin.createStatement()) {
                s.execute("DROP FUNCTION IF EXISTS " + poisonFunction());
            }
        }
    }

    private String poisonFunction() {
        return table + "_poison()";
    }
}
