package dev.coffer.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.audit.AuditBroker;
import dev.coffer.audit.AuditDeviceConfig;
import dev.coffer.core.Core;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code sys/audit} (list), {@code sys/audit/:path} (enable, disable), {@code sys/audit-hash/:path}. */
final class AuditEndpoints {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Core core;

    AuditEndpoints(Core core) {
        this.core = core;
    }

    void register(SysRoutes routes) {
        routes.route("audit").read((r, rest) -> list()).sudo();
        routes.route("audit/*").write(this::enable).delete((r, rest) -> disable(rest)).sudo();
        routes.route("audit-hash/*").write(this::hash);
    }

    private AuditBroker broker() {
        return core.auditBroker();
    }

    private LogicalResponse list() {
        ObjectNode data = F.objectNode();
        for (AuditDeviceConfig c : broker().list()) {
            ObjectNode d = data.putObject(c.path());
            d.put("type", c.type());
            d.put("description", c.description());
            ObjectNode options = d.putObject("options");
            new java.util.TreeMap<>(c.options()).forEach(options::put);
            d.put("local", c.local());
            d.put("path", c.path());
        }
        return LogicalResponse.ok(data).withTopLevelCopy();
    }

    private LogicalResponse enable(LogicalRequest r, String path) {
        String type = Params.stringField(r.data(), "type");
        if (type == null || type.isBlank()) {
            throw new CofferException.BadRequest("field \"type\" is required, e.g. \"file\"");
        }
        String description = Params.stringField(r.data(), "description");
        boolean local = Params.boolField(r.data(), "local", false);
        broker().enable(new AuditDeviceConfig(path, type, description, options(r.data()), local));
        return LogicalResponse.noContent();
    }

    private static Map<String, String> options(ObjectNode body) {
        JsonNode n = Params.field(body, "options");
        Map<String, String> options = new LinkedHashMap<>();
        if (n == null) {
            return options;
        }
        if (!n.isObject()) {
            throw new CofferException.BadRequest("field \"options\" must be an object of strings, e.g. "
                    + "{\"file_path\":\"/var/log/coffer/audit.log\"}");
        }
        n.fields().forEachRemaining(e -> {
            if (e.getValue().isContainerNode()) {
                throw new CofferException.BadRequest("audit option \"" + e.getKey() + "\" must be a string");
            }
            options.put(e.getKey(), e.getValue().asText());
        });
        return options;
    }

    private LogicalResponse disable(String path) {
        broker().disable(path);
        return LogicalResponse.noContent();
    }

    private LogicalResponse hash(LogicalRequest r, String path) {
        String input = Params.stringField(r.data(), "input");
        if (input == null) {
            throw new CofferException.BadRequest("field \"input\" is required: the value to hash");
        }
        ObjectNode data = F.objectNode().put("hash", broker().hash(path, input));
        return LogicalResponse.ok(data).withTopLevelCopy();
    }
}
