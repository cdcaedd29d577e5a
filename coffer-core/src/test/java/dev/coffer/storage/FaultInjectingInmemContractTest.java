package dev.coffer.storage;

/** A healthy decorator must be invisible: it passes the whole contract. */
class FaultInjectingInmemContractTest extends StorageContractTest {

    @Override
    protected StorageBackend newBackend() {
        return new FaultInjectingBackend(new InmemBackend());
    }
}
