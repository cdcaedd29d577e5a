package dev.coffer.storage.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/**
 * What an operator is told when no connection can be made. The pool reports "request timed out" with the SQLSTATE of
 * the last attempt's failure as its cause; the advice follows the server's SQLSTATE and the message the server's
 * words (a refused database is checked end to end in {@code PostgresSchemaTest}).
 */
class ConnectAdviceTest {

    @Test
    void aRefusedPasswordPointsAtTheCredentials() {
        SQLException e = poolTimeout(new SQLException("FATAL: password authentication failed for user \"vault\"", "28P01"));

        assertThat(PostgresBackend.connectAdvice(e)).contains("refused the user or password").contains("pg_hba.conf");
        assertThat(PostgresBackend.reason(e)).startsWith("FATAL: password authentication failed for user \"vault\"")
                .contains("no connection from the pool");
    }

    @Test
    void aServerWithoutPlanCacheModeIsTooOld() {
        // as HikariCP reports a failed connectionInitSql: the server's exception wrapped once more, without a SQLSTATE
        SQLException server = new SQLException("ERROR: unrecognized configuration parameter \"plan_cache_mode\"", "42704");
        SQLException e = new SQLTransientConnectionException("coffer-postgresql - Connection is not available",
                new RuntimeException(server.toString(), server));

        assertThat(PostgresBackend.sqlState(e)).isEqualTo("42704");
        assertThat(PostgresBackend.connectAdvice(e)).contains("PostgreSQL 12 or later");
        assertThat(PostgresBackend.reason(e)).startsWith("ERROR: unrecognized configuration parameter \"plan_cache_mode\"");
    }

    @Test
    void anUnreachableServerKeepsTheGeneralAdvice() {
        SQLException e = poolTimeout(new SQLException("Connection to 127.0.0.1:1 refused", "08001"));

        assertThat(PostgresBackend.connectAdvice(e)).startsWith("check connection_url, that the server is up");
        assertThat(PostgresBackend.reason(new SQLException("plain"))).isEqualTo("plain");
    }

    private static SQLException poolTimeout(SQLException cause) {
        return new SQLTransientConnectionException("coffer-postgresql - Connection is not available, request timed out"
                + " after 5000ms", cause.getSQLState(), cause);
    }
}
