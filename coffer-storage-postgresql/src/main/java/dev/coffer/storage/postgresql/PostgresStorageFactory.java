package dev.coffer.storage.postgresql;

import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.StorageFactory;
import java.util.Map;

/**
 * {@code storage "postgresql" { connection_url = "postgres://..." ha_enabled = "true" }}: Vault's parameters
 * and schema, plus {@code ha_lease_ttl}, {@code ha_renew_interval} and {@code ha_retry_interval}. The
 * environment variable {@code VAULT_PG_CONNECTION_URL} overrides {@code connection_url}.
 */
public final class PostgresStorageFactory implements StorageFactory {

    @Override
    public String type() {
        return "postgresql";
    }

    @Override
    public StorageBackend create(Map<String, String> config) {
        return new PostgresBackend(PostgresSettings.from(config, System.getenv()));
    }
}
