package dev.coffer.logical.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.logical.LogicalResponse;
import java.util.Map;

/** The JSON shapes KV v2 answers with, named and ordered as Vault's. */
final class KvResponses {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private KvResponses() {
    }

    /** {@code created_time, custom_metadata, deletion_time, destroyed, version}: a write's answer and a read's metadata. */
    static ObjectNode versionMetadata(KeyMetadata meta, int version) {
        VersionMeta v = meta.versions.get(version);
        ObjectNode o = F.objectNode();
        o.put("created_time", v.createdTime());
        o.set("custom_metadata", customMetadata(meta.customMetadata));
        o.put("deletion_time", v.deletionTime());
        o.put("destroyed", v.destroyed());
        o.put("version", version);
        return o;
    }

    /** A read of a version: {@code {data, metadata}}; 404 with data null when it is deleted or destroyed. */
    static LogicalResponse read(KeyMetadata meta, int version, JsonNode data) {
        ObjectNode o = F.objectNode();
        o.set("data", data == null ? NullNode.instance : data);
        o.set("metadata", versionMetadata(meta, version));
        LogicalResponse ok = LogicalResponse.ok(o);
        return data == null ? new LogicalResponse(404, o, null, ok.warnings(), 0, false, null, false) : ok;
    }

    static ObjectNode keyMetadata(KeyMetadata meta) {
        ObjectNode o = F.objectNode();
        o.put("cas_required", meta.casRequired);
        o.put("created_time", meta.createdTime);
        o.put("current_version", meta.currentVersion);
        o.set("custom_metadata", customMetadata(meta.customMetadata));
        o.put("delete_version_after", KvParams.formatDuration(meta.deleteVersionAfterSecs));
        o.put("max_versions", meta.maxVersions);
        o.put("oldest_version", meta.oldestVersion);
        o.put("updated_time", meta.updatedTime);
        ObjectNode versions = o.putObject("versions");
        meta.versions.forEach((n, v) -> {
            ObjectNode vo = versions.putObject(String.valueOf(n));
            vo.put("created_time", v.createdTime());
            vo.put("deletion_time", v.deletionTime());
            vo.put("destroyed", v.destroyed());
        });
        return o;
    }

    static ObjectNode config(KvConfig c) {
        ObjectNode o = F.objectNode();
        o.put("cas_required", c.casRequired());
        o.put("delete_version_after", KvParams.formatDuration(c.deleteVersionAfterSecs()));
        o.put("max_versions", c.maxVersions());
        return o;
    }

    private static JsonNode customMetadata(Map<String, String> custom) {
        if (custom == null || custom.isEmpty()) {
            return NullNode.instance;
        }
        ObjectNode o = F.objectNode();
        custom.forEach(o::put);
        return o;
    }
}
