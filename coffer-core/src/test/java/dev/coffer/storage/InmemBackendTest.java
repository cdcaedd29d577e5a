package dev.coffer.storage;

class InmemBackendTest extends StorageContractTest {

    @Override
    protected StorageBackend newBackend() {
        return new InmemBackend();
    }
}
