package dev.coffer.server.config;

import dev.coffer.hcl.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Test resources and a view of configs without positions, to compare HCL and JSON forms. */
final class TestConfigs {
    private static final Origin NOWHERE = new Origin("-", 0);

    private TestConfigs() {
    }

    static String resource(String name) {
        try (InputStream in = TestConfigs.class.getResourceAsStream("/config/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource /config/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServerConfig parseResource(String name) {
        return ConfigLoader.parse(name, resource(name));
    }

    /** The same config with origins and warnings (which name files and lines) blanked out. */
    static ServerConfig withoutPositions(ServerConfig c) {
        return new ServerConfig(storage(c.storage()), storage(c.haStorage()),
                c.seals().stream().map(s -> new SealConfig(s.type(), s.disabled(), s.params(), NOWHERE, Map.of()))
                        .toList(),
                c.listeners(), c.apiAddr(), c.clusterAddr(), c.clusterName(), c.ui(), c.logLevel(), c.logFormat(),
                c.disableMlock(), c.defaultLeaseTtl(), c.maxLeaseTtl(), c.telemetry(), List.of(), List.of(), false,
                c.disableCache(), c.cacheSize());
    }

    private static StorageConfig storage(StorageConfig s) {
        return s == null ? null : new StorageConfig(s.type(), s.params(), NOWHERE, Map.of());
    }
}
