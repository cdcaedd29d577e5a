package dev.coffer.core;

import static org.awaitility.Awaitility.await;

import dev.coffer.snapshot.PreparedSnapshot;
import dev.coffer.snapshot.Snapshots;
import dev.coffer.storage.InmemHaCluster;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Cores on one HA-capable in-memory store, as the nodes of a cluster share one PostgreSQL: the first node
 * initializes the store (one key share), every node is unsealed with that share, and each waits for leadership
 * within the limit given. Register it with {@code @RegisterExtension}: every core it made or was handed is closed
 * after each test.
 */
final class HaCores implements AfterEachCallback {
    private final Duration wait;
    private final InmemHaCluster store = new InmemHaCluster();
    private final List<Core> cores = new ArrayList<>();
    private InitResult init;

    /** {@code wait}: how long leadership may take to settle before a test fails. */
    HaCores(Duration wait) {
        this.wait = wait;
    }

    /** The shared store, to end leases or take the lock from outside the test's nodes. */
    InmemHaCluster store() {
        return store;
    }

    /** What initializing the store returned (the key share and the root token); there once a node was made. */
    InitResult init() {
        if (init == null) {
            throw new IllegalStateException("no node made yet, so the store is not initialized");
        }
        return init;
    }

    String rootToken() {
        return init().rootToken();
    }

    /** The one unseal key share, base64 as the API takes it. */
    String unsealKey() {
        return Base64.getEncoder().encodeToString(init().keys().get(0));
    }

    /**
     * A new unsealed node at {@code http://NAME:8200} (cluster address {@code https://NAME:8201}); the first one made
     * initializes the store. Whether it becomes active or standby is up to the HA lock.
     */
    Core node(String name) {
        Core core = closeAfterTest(new Core(new CoreOptions(store.node(), "inmem", null, "http://" + name + ":8200",
                "https://" + name + ":8201", null, null, null, null, null)));
        if (init == null) {
            init = core.init(new InitRequest(1, 1, 0, 0));
        }
        core.unseal(unsealKey());
        return core;
    }

    /** Closes {@code core} (one made outside this cluster, too) after the test; returns it. */
    Core closeAfterTest(Core core) {
        cores.add(core);
        return core;
    }

    /** Waits until one of {@code candidates} is unsealed and holds the HA lock, and returns it. */
    Core awaitActive(Core... candidates) {
        Core[] found = new Core[1];
        await().atMost(wait).until(() -> {
            for (Core c : candidates) {
                if (!c.sealed() && c.haState().self()) {
                    found[0] = c;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Waits until {@code core} is a standby that knows the active node. */
    void awaitStandby(Core core) {
        await().atMost(wait).until(() -> core.standby() && core.haState().leader() != null);
    }

    /** Moves leadership from {@code from} to {@code to} by a step-down. */
    void handOver(Core from, Core to) {
        from.stepDown();
        awaitActive(to);
        awaitStandby(from);
    }

    /** Writes a snapshot of {@code core} to {@code file}. */
    static Path saveSnapshot(Core core, Path file) throws Exception {
        try (PreparedSnapshot snapshot = Snapshots.save(core)) {
            snapshot.writeTo(file);
        }
        return file;
    }

    static Snapshots.Restored restoreSnapshot(Core core, Path file, boolean force) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return Snapshots.restore(core, in, force);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        RuntimeException first = null;
        for (Core core : cores) {
            try {
                core.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        cores.clear();
        if (first != null) {
            throw first;
        }
    }
}
