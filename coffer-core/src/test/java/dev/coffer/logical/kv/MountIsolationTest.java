package dev.coffer.logical.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import dev.coffer.logical.BackendFactory;
import dev.coffer.logical.Operation;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each mount sees only its own barrier view; unmounting deletes the data. */
class MountIsolationTest {
    private final KvHarness kv = new KvHarness();

    @AfterEach
    void close() {
        kv.close();
    }

    @Test
    void aKvMountCannotReachAnotherMountsData() {
        kv.core.mounts().mount(BackendFactory.Kind.SECRET, "team-a", "kv", "", Map.of(), Map.of());
        kv.core.mounts().mount(BackendFactory.Kind.SECRET, "team-b", "kv", "", Map.of(), Map.of());
        kv.put("team-a/db", "{\"password\":\"a-secret\"}");
        String uuidA = kv.core.mounts().find(BackendFactory.Kind.SECRET, "team-a").orElseThrow().uuid();

        assertThatThrownBy(() -> kv.get("team-b/db")).isInstanceOf(CofferException.NotFound.class);
        for (String trick : new String[] {"team-b/../team-a/db", "team-b/../" + uuidA + "/db", "team-b/./../db",
            "team-b/../../logical/" + uuidA + "/db"}) {
            assertThatThrownBy(() -> kv.get(trick)).as(trick).isInstanceOf(CofferException.class)
                    .isNotInstanceOf(CofferException.Internal.class);
        }
        assertThatThrownBy(() -> kv.call(Operation.LIST, "team-b/../", null)).isInstanceOf(CofferException.BadRequest.class);
        assertThatThrownBy(() -> kv.get("secret/data/../../team-a/db")).isInstanceOf(CofferException.BadRequest.class);
    }

    @Test
    void unmountDeletesData_soARemountAtTheSamePathIsEmpty() {
        kv.put("secret/data/app", "{\"data\":{\"a\":\"1\"}}");
        String oldUuid = kv.core.mounts().find(BackendFactory.Kind.SECRET, "secret/").orElseThrow().uuid();
        assertThat(kv.core.barrier().list("logical/" + oldUuid + "/")).isNotEmpty();
        kv.core.mounts().unmount(BackendFactory.Kind.SECRET, "secret/");
        assertThatThrownBy(() -> kv.get("secret/data/app")).isInstanceOf(CofferException.NotFound.class);
        kv.core.mounts().mount(BackendFactory.Kind.SECRET, "secret/", "kv", "", Map.of(), Map.of("version", "2"));
        assertThatThrownBy(() -> kv.get("secret/data/app")).isInstanceOf(CofferException.NotFound.class);
        assertThat(kv.core.barrier().list("logical/" + oldUuid + "/")).isEmpty();
    }
}
