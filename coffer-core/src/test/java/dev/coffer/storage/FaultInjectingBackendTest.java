package dev.coffer.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.storage.FaultInjectingBackend.Operation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultInjectingBackendTest {

    private final InmemBackend inner = new InmemBackend();
    private final FaultInjectingBackend faulty = new FaultInjectingBackend(inner);

    @Test
    void passesCallsThroughWhenHealthy() {
        faulty.put("a/b", "v".getBytes(UTF_8));

        assertThat(faulty.get("a/b")).isPresent();
        assertThat(faulty.list("a/")).containsExactly("b");
        faulty.delete("a/b");
        assertThat(inner.size()).isZero();
    }

    @Test
    void failsOnlyTheChosenOperationsWithStorageFailure() {
        faulty.failOn(Operation.PUT, Operation.LIST);

        assertThatThrownBy(() -> faulty.put("k", new byte[1])).isInstanceOf(CofferException.StorageFailure.class);
        assertThatThrownBy(() -> faulty.list("")).isInstanceOf(CofferException.StorageFailure.class);
        assertThat(faulty.get("k")).isEmpty();
        faulty.delete("k");
        assertThat(inner.size()).as("a failed put never reaches the wrapped backend").isZero();
        assertThat(faulty.injectedFailures()).isEqualTo(2);
    }

    @Test
    void failAllFailsEveryOperationUntilHealed() {
        faulty.failAll();

        assertThatThrownBy(() -> faulty.get("k")).isInstanceOf(CofferException.StorageFailure.class);
        assertThatThrownBy(() -> faulty.delete("k")).isInstanceOf(CofferException.StorageFailure.class);

        faulty.heal();
        faulty.put("k", new byte[1]);
        assertThat(faulty.get("k")).isPresent();
    }

    @Test
    void latencyDelaysEachOperation() {
        faulty.latency(Duration.ofMillis(100));

        long start = System.nanoTime();
        faulty.get("k");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }
}
