package dev.coffer.logical.transit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one operation over a request: either the body itself, or each item of {@code batch_input}. A failed
 * item gets an {@code error} field and does not stop the others. When any item failed the status is 400
 * (500 if a failure was internal), or {@code partial_failure_response_code} when some items succeeded and
 * the caller asked for it; the body carries {@code batch_results} either way.
 */
final class Batch {
    private static final Logger LOG = LoggerFactory.getLogger(Batch.class);

    private Batch() {
    }

    /** How many items the request carries: the length of a well-formed {@code batch_input}, else 1. */
    static int size(LogicalRequest req) {
        JsonNode items = req.field("batch_input");
        return items != null && items.isArray() && !items.isEmpty() ? items.size() : 1;
    }

    static LogicalResponse run(LogicalRequest req, Function<JsonNode, ObjectNode> op) {
        JsonNode items = req.field("batch_input");
        if (items == null) {
            return LogicalResponse.ok(op.apply(req.data()));
        }
        if (!items.isArray() || items.isEmpty()) {
            throw new CofferException.BadRequest("batch_input must be a non-empty array of objects");
        }
        ArrayNode results = JsonNodeFactory.instance.arrayNode(items.size());
        int ok = 0;
        boolean internal = false;
        for (JsonNode item : items) {
            ObjectNode result;
            try {
                if (!item.isObject()) {
                    throw new CofferException.BadRequest("each batch_input item must be a JSON object");
                }
                result = op.apply(item);
                ok++;
            } catch (CofferException.BadRequest e) {
                result = JsonNodeFactory.instance.objectNode().put("error", e.getMessage());
            } catch (CofferException e) {
                internal = true;
                LOG.error("transit batch item failed: {}", e.getMessage(), e.getCause());
                result = JsonNodeFactory.instance.objectNode().put("error", "internal error; see the server log");
            }
            JsonNode reference = item.get("reference");
            if (reference != null && !reference.isNull()) {
                result.set("reference", reference);
            }
            results.add(result);
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.set("batch_results", results);
        return new LogicalResponse(status(req, ok, items.size(), internal), data, null, List.of(), 0, false, null, false);
    }

    private static int status(LogicalRequest req, int ok, int total, boolean internal) {
        if (ok == total) {
            return 200;
        }
        int partial = Fields.integer(req.data(), "partial_failure_response_code", 0);
        if (ok > 0 && partial > 0) {
            return partial;
        }
        return internal ? 500 : 400;
    }
}
