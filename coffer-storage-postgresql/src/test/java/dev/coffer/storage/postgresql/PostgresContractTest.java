package dev.coffer.storage.postgresql;

import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.StorageContractTest;

class PostgresContractTest extends StorageContractTest {

    private String table;

    @Override
    protected StorageBackend newBackend() {
        table = TestPostgres.uniqueTable("contract");
        return TestPostgres.backend(TestPostgres.config(table));
    }

    @Override
    protected void cleanUp() throws Exception {
        TestPostgres.dropTables(table);
    }
}
