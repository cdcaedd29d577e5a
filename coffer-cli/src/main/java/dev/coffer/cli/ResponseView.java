package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Prints an API response the way Vault's CLI does: a Key/Value table, JSON, or one field ({@code -field}). */
final class ResponseView {
    private ResponseView() {
    }

    /** Prints {@code body}; returns the exit code (1 when {@code -field} names nothing in the response). */
    static int print(CliContext ctx, OutputFormat format, String field, JsonNode body) {
        List<Output.Row> rows = rows(body);
        if (field != null) {
            for (Output.Row r : rows) {
                if (r.key().equals(field)) {
                    ctx.out().println(r.value());
                    return 0;
                }
            }
            ctx.err().println("Field \"" + field + "\" not present in secret");
            return 1;
        }
        if (format == OutputFormat.JSON) {
            Output.json(ctx.out(), body);
        } else {
            Output.keyValueTable(ctx.out(), rows);
        }
        return 0;
    }

    /** Rows of the auth block (with Vault's token_* names) or else of the data block, sorted by key. */
    static List<Output.Row> rows(JsonNode body) {
        List<Output.Row> rows = new ArrayList<>();
        JsonNode auth = body == null ? null : body.get("auth");
        if (auth != null && auth.isObject()) {
            rows.add(Output.Row.of("token", auth.path("client_token").asText()));
            rows.add(Output.Row.of("token_accessor", auth.path("accessor").asText()));
            long d = auth.path("lease_duration").asLong();
            rows.add(Output.Row.of("token_duration", d == 0 ? "∞" : dev.coffer.server.http.DurationFormat.format(
                    java.time.Duration.ofSeconds(d))));
            rows.add(Output.Row.of("token_renewable", auth.path("renewable").asBoolean()));
            rows.add(Output.Row.of("token_policies", list(auth.path("token_policies"))));
            rows.add(Output.Row.of("identity_policies", list(auth.path("identity_policies"))));
            rows.add(Output.Row.of("policies", list(auth.path("policies"))));
            auth.path("metadata").fields().forEachRemaining(e -> rows.add(Output.Row.of("token_meta_" + e.getKey(),
                    e.getValue().asText())));
            return rows;
        }
        JsonNode data = body == null ? null : body.get("data");
        if (data != null && data.isObject()) {
            List<String> keys = new ArrayList<>();
            data.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            for (String k : keys) {
                rows.add(Output.Row.of(k, text(data.get(k))));
            }
        }
        return rows;
    }

    static String text(JsonNode v) {
        if (v == null || v.isNull()) {
            return "<nil>";
        }
        if (v.isArray()) {
            return list(v);
        }
        if (v.isObject()) {
            StringBuilder sb = new StringBuilder("map[");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(e.getKey()).append(':').append(e.getValue().asText()).append(it.hasNext() ? " " : "");
            }
            return sb.append(']').toString();
        }
        return v.asText();
    }

    static String list(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(n -> items.add(n.asText()));
        return "[" + String.join(" ", items) + "]";
    }
}
