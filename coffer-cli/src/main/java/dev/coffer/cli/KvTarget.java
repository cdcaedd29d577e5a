package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.CofferClient;

/**
 * Where a {@code kv} command's secret lives: the mount, the key inside it and the KV version, found by asking the
 * server which mount serves the path ({@code sys/internal/ui/mounts/:path}).
 */
record KvTarget(String mount, String key, int version) {

    /** {@code secret/app}, or {@code -mount=secret app}. */
    static KvTarget resolve(CofferClient client, String path, String mountFlag) {
        String clean = strip(path);
        String full = mountFlag == null || mountFlag.isBlank() ? clean : strip(mountFlag) + "/" + clean;
        JsonNode info = client.read("sys/internal/ui/mounts/" + full).orElseThrow(() -> new CommandFailure(
                "Error: no secrets engine is mounted at \"" + full + "\"; check the path or see `coffer secrets list`"))
                .path("data");
        String mount = info.path("path").asText();
        if (!info.path("type").asText().equals("kv")) {
            throw new CommandFailure("Error: \"" + mount + "\" is a " + info.path("type").asText() + " mount, not kv; "
                    + "use `coffer read`/`coffer write` for other engines");
        }
        String key = (full + "/").startsWith(mount) && full.length() >= mount.length() ? full.substring(mount.length())
                : "";
        int version = info.path("options").path("version").asText("1").equals("2") ? 2 : 1;
        return new KvTarget(mount, key, version);
    }

    /** The API path of {@code area} ({@code data}, {@code metadata}, ...) for this key; v1 ignores the area. */
    String api(String area) {
        return version == 2 ? mount + area + "/" + key : mount + key;
    }

    String display() {
        return mount + key;
    }

    boolean v2() {
        return version == 2;
    }

    /** Commands that only exist for KV v2 (patch, undelete, destroy, metadata) fail with a hint on v1. */
    KvTarget requireV2(String command) {
        if (!v2()) {
            throw new CommandFailure("Error: " + command + " needs a KV version 2 mount, and \"" + mount + "\" is version 1; "
                    + "enable one with `coffer secrets enable -version=2 kv`");
        }
        return this;
    }

    private static String strip(String p) {
        String s = p == null ? "" : p.strip();
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/") && s.length() > 1) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
