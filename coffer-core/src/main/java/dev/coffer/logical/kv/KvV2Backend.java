package dev.coffer.logical.kv;

import dev.coffer.CofferException;
import dev.coffer.logical.BackendContext;
import dev.coffer.logical.LogicalBackend;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;

/**
 * The versioned key/value engine (KV v2). Paths inside the mount: {@code data/<key>}, {@code metadata/<key>},
 * {@code delete/<key>}, {@code undelete/<key>}, {@code destroy/<key>}, {@code subkeys/<key>} and {@code config}.
 * Storage layout: see {@link KvV2Store}.
 */
final class KvV2Backend implements LogicalBackend {
    private final KvV2Store store;
    private final KvV2Data data;
    private final KvV2Versions versions;
    private final KvV2Metadata metadata;

    KvV2Backend(BackendContext context) {
        this.store = new KvV2Store(context.storage());
        this.data = new KvV2Data(store, context.clock());
        this.versions = new KvV2Versions(store, context.clock());
        this.metadata = new KvV2Metadata(store, context.clock());
    }

    @Override
    public LogicalResponse handle(LogicalRequest req) {
        String path = req.relativePath();
        Operation op = req.operation();
        if (path.equals("config")) {
            return config(req);
        }
        int slash = path.indexOf('/');
        String area = slash < 0 ? path : path.substring(0, slash);
        String key = slash < 0 ? "" : path.substring(slash + 1);
        if (area.equals("metadata") && op == Operation.LIST) {
            return metadata.list(key);
        }
        if (!KvKeys.isKnownArea(area)) {
            throw new CofferException.NotFound("unsupported path \"" + path + "\" on a KV version 2 mount: use data/, "
                    + "metadata/, delete/, undelete/, destroy/, subkeys/ or config");
        }
        KvKeys.requireKey(key, path);
        return switch (area) {
            case "data" -> data(key, req);
            case "metadata" -> metadata(key, req);
            case "subkeys" -> only(op, Operation.READ, path, () -> data.subkeys(key, req));
            case "delete" -> onlyWrite(op, path, () -> versions.delete(key, req));
            case "undelete" -> onlyWrite(op, path, () -> versions.undelete(key, req));
            default -> onlyWrite(op, path, () -> versions.destroy(key, req));
        };
    }

    KvV2Store store() {
        return store;
    }

    @Override
    public void close() {
        store.known.clear();
    }

    @Override
    public Boolean exists(LogicalRequest req) {
        String path = req.relativePath();
        int slash = path.indexOf('/');
        if (slash > 0 && !KvKeys.isValid(path.substring(slash + 1))) {
            return null; // handle() reports the bad key
        }
        if (path.startsWith("data/")) {
            return data.exists(path.substring(5));
        }
        if (path.startsWith("metadata/")) {
            return metadata.exists(path.substring(9));
        }
        return path.equals("config") ? Boolean.TRUE : null;
    }

    private LogicalResponse data(String key, LogicalRequest req) {
        return switch (req.operation()) {
            case READ -> data.read(key, req);
            case CREATE, UPDATE -> data.write(key, req);
            case PATCH -> data.patch(key, req);
            case DELETE -> data.deleteLatest(key);
            case LIST -> throw unsupported(req, "list keys with LIST on metadata/ instead");
        };
    }

    private LogicalResponse metadata(String key, LogicalRequest req) {
        return switch (req.operation()) {
            case READ -> metadata.read(key);
            case CREATE, UPDATE -> metadata.write(key, req, false);
            case PATCH -> metadata.write(key, req, true);
            case DELETE -> metadata.delete(key);
            case LIST -> metadata.list(key);
        };
    }

    private LogicalResponse config(LogicalRequest req) {
        switch (req.operation()) {
            case READ -> {
                return LogicalResponse.ok(KvResponses.config(store.config()));
            }
            case CREATE, UPDATE -> {
                KvConfig c = store.config();
                Integer max = KvParams.optionalInt(req.data(), "max_versions");
                if (max != null && max < 0) {
                    throw new CofferException.BadRequest("max_versions must be 0 (the default of 10) or more");
                }
                Boolean cas = KvParams.optionalBool(req.data(), "cas_required");
                Long after = KvParams.optionalDurationSeconds(req.data(), "delete_version_after");
                store.putConfig(new KvConfig(max == null ? c.maxVersions() : max, cas == null ? c.casRequired() : cas,
                        after == null ? c.deleteVersionAfterSecs() : after));
                return LogicalResponse.noContent();
            }
            default -> throw unsupported(req, "config supports read and write");
        }
    }

    private static LogicalResponse only(Operation op, Operation allowed, String path,
                                        java.util.function.Supplier<LogicalResponse> work) {
        if (op != allowed) {
            throw new CofferException.UnsupportedOperation("unsupported operation " + op.capability() + " on " + path
                    + "; it supports " + allowed.capability());
        }
        return work.get();
    }

    private static LogicalResponse onlyWrite(Operation op, String path, java.util.function.Supplier<LogicalResponse> work) {
        return only(op == Operation.CREATE ? Operation.UPDATE : op, Operation.UPDATE, path, work);
    }

    private static CofferException unsupported(LogicalRequest req, String hint) {
        return new CofferException.UnsupportedOperation("unsupported operation " + req.operation().capability() + " on "
                + req.relativePath() + "; " + hint);
    }
}
