package dev.coffer.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.logical.BackendFactory.Kind;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.MountEntry;
import dev.coffer.logical.MountManager;
import dev.coffer.logical.kv.KvBackendFactory;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sys/mounts}, {@code sys/auth} (enable, disable, list, tune) and {@code sys/internal/ui/mounts/:path}
 * (which mount serves a path, so the CLI can tell KV v1 from v2). As in Vault, changing {@code sys/auth/*} needs
 * sudo while {@code sys/mounts/*} needs only the ACL capability on the path.
 */
final class MountEndpoints {
    private static final String TUNE = "/tune";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Core core;

    MountEndpoints(Core core) {
        this.core = core;
    }

    void register(SysRoutes routes) {
        routes.route("mounts").read((r, rest) -> list(Kind.SECRET));
        routes.route("mounts/*").read((r, rest) -> read(Kind.SECRET, rest)).write((r, rest) -> write(Kind.SECRET, r, rest))
                .delete((r, rest) -> disable(Kind.SECRET, rest));
        routes.route("auth").read((r, rest) -> list(Kind.AUTH));
        routes.route("auth/*").read((r, rest) -> read(Kind.AUTH, rest)).write((r, rest) -> write(Kind.AUTH, r, rest))
                .delete((r, rest) -> disable(Kind.AUTH, rest)).sudo();
        routes.route("internal/ui/mounts/*").read((r, rest) -> uiMount(rest));
    }

    private MountManager mounts() {
        return core.mounts();
    }

    private LogicalResponse list(Kind kind) {
        ObjectNode data = F.objectNode();
        mounts().list(kind).forEach(m -> data.set(m.path(), MountJson.entry(m)));
        return LogicalResponse.ok(data).withTopLevelCopy();
    }

    private LogicalResponse read(Kind kind, String rest) {
        if (rest.endsWith(TUNE)) {
            return LogicalResponse.ok(MountJson.tune(existing(kind, rest.substring(0, rest.length() - TUNE.length()))))
                    .withTopLevelCopy();
        }
        return LogicalResponse.ok(MountJson.entry(existing(kind, rest))).withTopLevelCopy();
    }

    private LogicalResponse write(Kind kind, LogicalRequest r, String rest) {
        if (rest.endsWith(TUNE)) {
            return tune(kind, r, rest.substring(0, rest.length() - TUNE.length()));
        }
        String type = Params.stringField(r.data(), "type");
        if (type == null || type.isBlank()) {
            throw new CofferException.BadRequest("field \"type\" is required: the " + noun(kind) + " to enable, e.g. "
                    + (kind == Kind.AUTH ? "\"userpass\"" : "\"kv\""));
        }
        Map<String, String> options = MountJson.options(r.data().get("options"), Map.of());
        if (kind == Kind.SECRET && type.equals("kv-v2")) {
            type = KvBackendFactory.TYPE; // Vault's alias: kv with version 2
            options = new HashMap<>(options);
            options.put("version", "2");
        }
        Params.unsupported(r.data(), "seal_wrap", "Coffer has no seal wrapping; everything is encrypted by the barrier");
        Map<String, String> config = MountJson.config(r.data().get("config"), Map.of());
        mounts().mount(kind, rest, type, Params.stringField(r.data(), "description"), config, options);
        return LogicalResponse.noContent();
    }

    private LogicalResponse disable(Kind kind, String rest) {
        if (mounts().find(kind, rest).isPresent()) {
            mounts().unmount(kind, rest);
        }
        return LogicalResponse.noContent();
    }

    private LogicalResponse tune(Kind kind, LogicalRequest r, String path) {
        MountEntry m = existing(kind, path);
        ObjectNode body = r.data();
        Map<String, String> config = MountJson.config(body, m.config());
        Map<String, String> options = MountJson.options(body.get("options"), m.options());
        if (m.type().equals(KvBackendFactory.TYPE) && KvBackendFactory.version(options.get("version"))
                != KvBackendFactory.version(m.options().get("version"))) {
            throw new CofferException.BadRequest("changing the KV version of an existing mount is not supported: enable a "
                    + "new kv mount with -version and copy the secrets over");
        }
        mounts().tune(kind, m.path(), config, options, Params.stringField(body, "description"));
        return LogicalResponse.noContent();
    }

    /** The secrets engine serving {@code path}: longest mount prefix, as the router picks it. */
    private LogicalResponse uiMount(String path) {
        String probe = path.endsWith("/") ? path : path + "/";
        Optional<MountEntry> m = mounts().list(Kind.SECRET).stream().filter(e -> probe.startsWith(e.path()))
                .max(Comparator.comparingInt(e -> e.path().length()));
        if (m.isEmpty() && probe.startsWith("auth/")) {
            m = mounts().list(Kind.AUTH).stream().filter(e -> probe.startsWith("auth/" + e.path()))
                    .max(Comparator.comparingInt(e -> e.path().length()));
        }
        MountEntry e = m.orElseThrow(() -> new CofferException.NotFound("no secrets engine is mounted at \"" + path
                + "\"; see the mounts with `coffer secrets list`"));
        ObjectNode data = MountJson.entry(e);
        data.put("path", e.routePrefix());
        return LogicalResponse.ok(data);
    }

    private MountEntry existing(Kind kind, String path) {
        return mounts().find(kind, path).orElseThrow(() -> new CofferException.BadRequest("no " + noun(kind)
                + " is mounted at \"" + path + "\"; list them with GET sys/" + (kind == Kind.AUTH ? "auth" : "mounts")));
    }

    private static String noun(Kind kind) {
        return kind == Kind.AUTH ? "auth method" : "secrets engine";
    }
}
