package dev.coffer.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.core.SealHealthMonitor;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.StreamingBody;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET sys/metrics}: a few gauges operators alert on, as JSON (default) or in the Prometheus text
 * format ({@code ?format=prometheus}): unsealed, active, seal health, keyring term and encryptions, and the storage
 * read cache's hits, misses and size (unless {@code disable_cache}).
 */
final class MetricsEndpoints {
    static final String BACKEND_GAUGE = "coffer_seal_backend_healthy";
    static final String CACHE_HITS = "coffer_cache_hit";
    static final String CACHE_MISSES = "coffer_cache_miss";
    static final String CACHE_SIZE = "coffer_cache_size";
    private final Core core;

    MetricsEndpoints(Core core) {
        this.core = core;
    }

    void register(SysRoutes routes) {
        routes.route("metrics").read((r, rest) -> metrics(r));
    }

    private Map<String, Long> gauges() {
        Map<String, Long> g = new LinkedHashMap<>();
        g.put("coffer_core_unsealed", core.sealed() ? 0L : 1L);
        g.put("coffer_core_active", core.activeSince().isPresent() ? 1L : 0L);
        boolean healthy = core.sealHealth().map(SealHealthMonitor::health).map(SealHealthMonitor.Health::healthy)
                .orElse(true);
        g.put("coffer_seal_healthy", healthy ? 1L : 0L);
        if (!core.sealed() && core.activeSince().isPresent()) {
            var ks = core.barrier().keyStatus();
            g.put("coffer_barrier_keyring_term", (long) ks.term());
            g.put("coffer_barrier_encryptions", ks.encryptions());
        }
        return g;
    }

    /** With several seals (enable_multiseal): one {@code coffer_seal_backend_healthy} gauge per seal name. */
    private Map<String, Long> perSeal() {
        Map<String, Long> g = new LinkedHashMap<>();
        core.sealHealth().filter(SealHealthMonitor::multiseal).ifPresent(m -> m.backends()
                .forEach(b -> g.put(b.name(), b.health().healthy() ? 1L : 0L)));
        return g;
    }

    /**
     * The storage read cache, unlabelled (it has nothing to do with the seal): reads answered from it and reads that
     * went to storage while it was active, both counted since the server started, and the entries it holds now.
     */
    private Map<String, Long> cache() {
        Map<String, Long> c = new LinkedHashMap<>();
        core.readCache().ifPresent(cache -> {
            c.put(CACHE_HITS, cache.hits());
            c.put(CACHE_MISSES, cache.misses());
            c.put(CACHE_SIZE, (long) cache.size());
        });
        return c;
    }

    private static boolean counter(String name) {
        return name.equals(CACHE_HITS) || name.equals(CACHE_MISSES);
    }

    private LogicalResponse metrics(LogicalRequest r) {
        String format = r.field("format") == null ? "" : r.field("format").asText();
        Map<String, Long> g = gauges();
        Map<String, Long> seals = perSeal();
        Map<String, Long> cache = cache();
        if (format.isEmpty() || format.equals("json")) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            var gaugesArray = out.putArray("Gauges");
            g.forEach((name, value) -> gaugesArray.addObject().put("Name", name).put("Value", value)
                    .putObject("Labels").put("seal", core.sealType()));
            seals.forEach((seal, value) -> gaugesArray.addObject().put("Name", BACKEND_GAUGE).put("Value", value)
                    .putObject("Labels").put("seal", seal));
            cache.forEach((name, value) -> gaugesArray.addObject().put("Name", name).put("Value", value)
                    .putObject("Labels"));
            return LogicalResponse.raw(200, out);
        }
        if (!format.equals("prometheus")) {
            throw new CofferException.BadRequest("format must be \"prometheus\" or \"json\", got \"" + format + "\"");
        }
        StringBuilder text = new StringBuilder();
        g.forEach((name, value) -> text.append("# TYPE ").append(name).append(" gauge\n").append(name)
                .append("{seal=\"").append(core.sealType()).append("\"} ").append(value).append('\n'));
        if (!seals.isEmpty()) {
            text.append("# TYPE ").append(BACKEND_GAUGE).append(" gauge\n");
            seals.forEach((seal, value) -> text.append(BACKEND_GAUGE).append("{seal=\"").append(seal).append("\"} ")
                    .append(value).append('\n'));
        }
        cache.forEach((name, value) -> text.append("# TYPE ").append(name).append(counter(name) ? " counter\n" : " gauge\n")
                .append(name).append(' ').append(value).append('\n'));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        return LogicalResponse.streaming(new StreamingBody() {
            @Override
            public String contentType() {
                return "text/plain; version=0.0.4";
            }

            @Override
            public void writeTo(OutputStream out) throws java.io.IOException {
                out.write(bytes);
            }

            @Override
            public void close() {
            }
        });
    }
}
