package dev.coffer.storage.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionUrlsTest {

    @Test
    void postgresUrlMovesCredentialsIntoProperties() {
        JdbcTarget target = ConnectionUrls.parse("postgres://vault:s%40cret@db.example:5433/vault?sslmode=require");

        assertThat(target.url()).isEqualTo("jdbc:postgresql://db.example:5433/vault");
        assertThat(target.properties()).containsEntry("user", "vault").containsEntry("password", "s@cret")
                .containsEntry("sslmode", "require");
        assertThat(target.toString()).doesNotContain("s@cret").contains("*****");
    }

    @Test
    void postgresqlSchemeAndLibpqParameterNamesAreTranslated() {
        JdbcTarget target = ConnectionUrls.parse(
                "postgresql://u@h/db?connect_timeout=5&application_name=coffer1&target_session_attrs=read-write");

        assertThat(target.url()).isEqualTo("jdbc:postgresql://h/db");
        assertThat(target.properties()).containsEntry("connectTimeout", "5").containsEntry("ApplicationName", "coffer1")
                .containsEntry("targetServerType", "primary").doesNotContainKey("password");
    }

    @Test
    void multiHostUrlTargetsThePrimary() {
        JdbcTarget target = ConnectionUrls.parse("postgres://u:p@host1:5432,host2:5432/vault?sslmode=disable");

        assertThat(target.url()).isEqualTo("jdbc:postgresql://host1:5432,host2:5432/vault");
        assertThat(target.properties()).containsEntry("targetServerType", "primary");
    }

    @Test
    void keyValueStringWithQuotesAndSeveralHosts() {
        JdbcTarget target = ConnectionUrls.parse(
                "host=h1,h2 port=5432,5433 user=vault password='p w' dbname=vault sslmode=verify-full");

        assertThat(target.url()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/vault");
        assertThat(target.properties()).containsEntry("password", "p w").containsEntry("sslmode", "verify-full")
                .containsEntry("targetServerType", "primary");
    }

    @Test
    void keyValueStringWithEscapedQuote() {
        JdbcTarget target = ConnectionUrls.parse("host=db user=vault password='a \\'b' dbname=v");

        assertThat(target.url()).isEqualTo("jdbc:postgresql://db/v");
        assertThat(target.properties()).containsEntry("password", "a 'b").containsEntry("user", "vault");
    }

    @Test
    void jdbcUrlIsKeptButLosesItsCredentials() {
        JdbcTarget target = ConnectionUrls.parse("jdbc:postgresql://a:1,b:2/db?user=x&password=y&ssl=true");

        assertThat(target.url()).isEqualTo("jdbc:postgresql://a:1,b:2/db?ssl=true");
        assertThat(target.properties()).containsEntry("user", "x").containsEntry("password", "y")
                .containsEntry("targetServerType", "primary");
    }

    @Test
    void ipv6HostsKeepTheirBrackets() {
        assertThat(ConnectionUrls.parse("postgres://u@[::1]:5432/db").url()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
        assertThat(ConnectionUrls.parse("host=::1 port=5432 dbname=db").url()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
    }

    @Test
    void missingOrUnknownFormIsABadRequestNamingTheParameter() {
        assertThatThrownBy(() -> ConnectionUrls.parse(" ")).isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("connection_url");
        assertThatThrownBy(() -> ConnectionUrls.parse("mysql://x")).isInstanceOf(CofferException.BadRequest.class);
        assertThatThrownBy(() -> ConnectionUrls.parse("host='unterminated")).isInstanceOf(CofferException.BadRequest.class);
    }

    @Test
    void environmentVariableOverridesConnectionUrl() {
        PostgresSettings settings = PostgresSettings.from(Map.of("connection_url", "postgres://a@config/db"),
                Map.of(PostgresSettings.ENV_CONNECTION_URL, "postgres://a@env/db"));

        assertThat(settings.target().url()).isEqualTo("jdbc:postgresql://env/db");
    }

    @Test
    void defaultsFollowVaultAndTheMeasuredLockTimings() {
        PostgresSettings settings = PostgresSettings.from(Map.of("connection_url", "postgres://a@h/db"), Map.of());

        assertThat(settings.table()).isEqualTo("vault_kv_store");
        assertThat(settings.haTable()).isEqualTo("vault_ha_locks");
        assertThat(settings.maxParallel()).isEqualTo(128);
        assertThat(settings.haEnabled()).isFalse();
        assertThat(settings.skipCreateTable()).isFalse();
        assertThat(settings.leaseTtl()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.renewInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.retryInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void tableNamesThatCouldInjectSqlAreRefused() {
        assertThatThrownBy(() -> PostgresSettings.from(
                Map.of("connection_url", "postgres://a@h/db", "table", "kv; DROP TABLE x"), Map.of()))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("\"table\"");
    }

    @Test
    void renewIntervalAboveHalfTheLeaseIsRefused() {
        assertThatThrownBy(() -> PostgresSettings.from(Map.of("connection_url", "postgres://a@h/db",
                "ha_lease_ttl", "2s", "ha_renew_interval", "1500ms"), Map.of()))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("ha_renew_interval");
    }
}
