package dev.coffer.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.snapshot.auto.ScheduleStatus;
import dev.coffer.snapshot.auto.SnapshotSchedule;
import dev.coffer.snapshot.auto.SnapshotScheduler;
import dev.coffer.token.TtlParser;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code sys/storage/snapshot-auto/config[/NAME]} (LIST, GET, PUT, DELETE) and
 * {@code sys/storage/snapshot-auto/status/NAME}; all sudo. Schedules from the HCL file are listed and readable
 * but cannot be changed or deleted through the API (docs/snapshots.md, "Scheduled snapshots").
 */
final class SnapshotAutoEndpoints {
    private static final Set<String> SECRETS = Set.of("secret_key", "session_token", "account_key");
    private final Core core;

    SnapshotAutoEndpoints(Core core) {
        this.core = core;
    }

    void register(SysRoutes routes) {
        routes.route("storage/snapshot-auto/config").list((r, rest) -> list()).read((r, rest) -> list()).sudo();
        routes.route("storage/snapshot-auto/config/").list((r, rest) -> list()).sudo();
        routes.route("storage/snapshot-auto/config/*").read((r, rest) -> read(rest)).write(this::write)
                .delete((r, rest) -> delete(rest)).sudo();
        routes.route("storage/snapshot-auto/status/*").read((r, rest) -> status(rest)).sudo();
    }

    private SnapshotScheduler scheduler() {
        return core.activeService(SnapshotScheduler.class).orElseThrow(() ->
                new CofferException.UnsupportedOperation("scheduled snapshots are not enabled on this server"));
    }

    private LogicalResponse list() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        var keys = data.putArray("keys");
        scheduler().schedules().keySet().forEach(keys::add);
        return LogicalResponse.ok(data);
    }

    private SnapshotSchedule find(String name) {
        return scheduler().schedule(name).orElseThrow(() ->
                new CofferException.NotFound("no snapshot schedule named \"" + name + "\""));
    }

    private LogicalResponse read(String name) {
        SnapshotSchedule s = find(name);
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("name", s.name());
        data.put("interval", s.interval().toSeconds());
        data.put("retain", s.retain());
        data.put("source", s.source());
        data.put("read_only", SnapshotSchedule.SOURCE_CONFIG.equals(s.source()));
        ObjectNode t = data.putObject("target");
        t.put("type", s.targetType());
        s.target().forEach((k, v) -> t.put(k, SECRETS.contains(k) ? "<redacted>" : v));
        return LogicalResponse.ok(data);
    }

    private LogicalResponse write(LogicalRequest r, String name) {
        ObjectNode body = r.data();
        JsonNode intervalNode = body.get("interval");
        if (intervalNode == null || intervalNode.isNull()) {
            throw new CofferException.BadRequest("\"interval\" is required, e.g. \"24h\"");
        }
        Duration interval = TtlParser.parse("interval", intervalNode);
        int retain = Params.intField(body, "retain", 1);
        JsonNode target = body.get("target");
        if (target == null || !target.isObject() || !target.hasNonNull("type")) {
            throw new CofferException.BadRequest("\"target\" is required: an object with \"type\" (local, s3, ...) and"
                    + " the target's attributes, e.g. {\"type\": \"local\", \"path\": \"/backups\"}");
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = target.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getKey().equals("type")) {
                attrs.put(e.getKey(), e.getValue().asText());
            }
        }
        SnapshotSchedule s;
        try {
            s = new SnapshotSchedule(name, interval, retain, target.get("type").asText(), attrs, SnapshotSchedule.SOURCE_API);
        } catch (IllegalArgumentException e) {
            throw new CofferException.BadRequest(e.getMessage());
        }
        scheduler().put(s);
        return LogicalResponse.noContent();
    }

    private LogicalResponse delete(String name) {
        scheduler().delete(name);
        return LogicalResponse.noContent();
    }

    private LogicalResponse status(String name) {
        ScheduleStatus st = scheduler().status(name).orElseThrow(() ->
                new CofferException.NotFound("no snapshot schedule named \"" + name + "\""));
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("name", st.name());
        data.put("last_run", str(st.lastRun()));
        data.put("last_success", str(st.lastSuccess()));
        data.put("last_snapshot", st.lastSnapshot());
        data.put("last_error", st.lastError());
        data.put("last_error_time", str(st.lastErrorTime()));
        data.put("consecutive_failures", st.consecutiveFailures());
        data.put("next_run", str(st.nextRun()));
        return LogicalResponse.ok(data);
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
