package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferApiException;
import dev.coffer.api.CofferClient;
import java.util.Optional;

/** What {@code kv put} and {@code kv patch} share: the v2 body and printing the new version's metadata. */
final class KvWrites {
    private KvWrites() {
    }

    static ObjectNode v2Body(ObjectNode data, Integer cas) {
        ObjectNode body = CofferClient.mapper().createObjectNode();
        if (cas != null) {
            body.putObject("options").put("cas", cas);
        }
        body.set("data", data);
        return body;
    }

    static int send(CliContext ctx, OutputFormat format, KvTarget t, ObjectNode body, boolean patch, CofferClient client) {
        String api = t.api("data");
        Optional<JsonNode> answer;
        try {
            answer = patch ? client.patch(api, body) : client.write(api, body);
        } catch (CofferApiException e) {
            if (patch && e.status() == 404) {
                throw new CommandFailure("Error: no readable version at " + t.display() + " to patch; write it with "
                        + "`coffer kv put` first");
            }
            throw e;
        }
        if (format == OutputFormat.JSON) {
            Output.json(ctx.out(), answer.orElse(CofferClient.mapper().createObjectNode()));
            return 0;
        }
        if (!t.v2() || answer.isEmpty()) {
            ctx.out().println("Success! Data written to: " + t.display());
            return 0;
        }
        SecretView.header(ctx.out(), "Secret Path", 24);
        ctx.out().println(api);
        ctx.out().println();
        SecretView.table(ctx.out(), "Metadata", answer.get().path("data"));
        return 0;
    }
}
