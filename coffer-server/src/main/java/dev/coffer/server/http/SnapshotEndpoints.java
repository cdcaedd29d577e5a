package dev.coffer.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.snapshot.Snapshots;

/**
 * {@code sys/storage/raft/snapshot} (Vault's path) and {@code sys/storage/snapshot} (the same, named for what
 * Coffer offers on every backend): GET saves (a gzip'd tar streamed to the client), POST restores from the raw
 * body, {@code -force} restores a snapshot of another vault. All sudo: a snapshot is the whole vault (encrypted),
 * and a restore replaces it.
 */
final class SnapshotEndpoints {
    private final Core core;

    SnapshotEndpoints(Core core) {
        this.core = core;
    }

    void register(SysRoutes routes) {
        for (String base : new String[] {"storage/raft/snapshot", "storage/snapshot"}) {
            routes.route(base).read((r, rest) -> save()).write((r, rest) -> restore(r, false)).sudo();
            routes.route(base + "-force").write((r, rest) -> restore(r, true)).sudo();
        }
    }

    private LogicalResponse save() {
        return LogicalResponse.streaming(Snapshots.save(core));
    }

    private LogicalResponse restore(LogicalRequest request, boolean force) {
        if (request.rawBody() == null) {
            throw new CofferException.BadRequest("send the snapshot archive as the raw request body (for example "
                    + "`curl --data-binary @FILE`), or use `coffer operator raft snapshot restore FILE`");
        }
        Snapshots.Restored restored = Snapshots.restore(core, request.rawBody(), force);
        if (!restored.sealed()) {
            return LogicalResponse.noContent();
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("sealed", true);
        data.put("snapshot_cluster_id", restored.metadata().clusterId());
        return LogicalResponse.ok(data).withWarning("the snapshot came from another vault: this node is now sealed;"
                + " unseal it with that vault's unseal keys (or start it with that vault's KMS key)");
    }
}
