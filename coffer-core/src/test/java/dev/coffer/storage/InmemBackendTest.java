package dev.coffer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InmemBackendTest extends StorageContractTest {

    @Override
    protected StorageBackend newBackend() {
        return new InmemBackend();
    }

    @Test
    void replaceAllIsAllOrNothing() throws IOException {
        InmemBackend inmem = (InmemBackend) backend;
        inmem.put("old", bytes("1"));
        AtomicInteger served = new AtomicInteger();
        AtomicRestore.EntrySource failing = () -> {
            if (served.incrementAndGet() > 2) {
                throw new IOException("archive truncated");
            }
            return new AtomicRestore.Entry("new/" + served.get(), bytes("x"));
        };

        assertThatThrownBy(() -> inmem.replaceAll(failing)).isInstanceOf(IOException.class);
        assertThat(inmem.list("")).containsExactly("old");

        AtomicInteger next = new AtomicInteger();
        inmem.replaceAll(() -> next.incrementAndGet() <= 2 ? new AtomicRestore.Entry("new/" + next.get(), bytes("y")) : null);
        assertThat(inmem.list("")).containsExactly("new/");
        assertThat(inmem.list("new/")).containsExactly("1", "2");
        assertThat(inmem.get("old")).isEmpty();
    }
}
