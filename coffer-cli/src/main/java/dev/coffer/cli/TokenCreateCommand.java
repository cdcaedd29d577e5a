package dev.coffer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer token create}: issues a child token of the current one (or an orphan). */
@Command(name = "create", description = "Create a new token, a child of the current token unless -orphan.")
final class TokenCreateCommand extends ClientCommand {
    @Option(names = {"-policy", "--policy"}, paramLabel = "NAME", description = "Policy for the token (repeatable).")
    List<String> policies = new ArrayList<>();

    @Option(names = {"-ttl", "--ttl"}, paramLabel = "DURATION", description = "Initial TTL, e.g. 1h.")
    String ttl;

    @Option(names = {"-explicit-max-ttl", "--explicit-max-ttl"}, paramLabel = "DURATION",
            description = "Hard limit on the token's life, renewals included.")
    String explicitMaxTtl;

    @Option(names = {"-period", "--period"}, paramLabel = "DURATION", description = "Make a periodic token.")
    String period;

    @Option(names = {"-use-limit", "--use-limit"}, paramLabel = "N", description = "Number of uses (0: unlimited).")
    int useLimit;

    @Option(names = {"-orphan", "--orphan"}, description = "Create a token without a parent (needs sudo).")
    boolean orphan;

    @Option(names = {"-display-name", "--display-name"}, paramLabel = "NAME", description = "Display name.")
    String displayName;

    @Option(names = {"-metadata", "--metadata"}, paramLabel = "K=V", description = "Metadata (repeatable).")
    Map<String, String> metadata;

    @Option(names = {"-renewable", "--renewable"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
            paramLabel = "BOOL", description = "Whether the token can be renewed (default true).")
    boolean renewable;

    @Option(names = {"-field", "--field"}, paramLabel = "NAME", description = "Print only this field, e.g. token.")
    String field;

    TokenCreateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "creating token";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        ObjectNode body = CofferClient.mapper().createObjectNode();
        var ps = body.putArray("policies");
        policies.forEach(ps::add);
        putIf(body, "ttl", ttl);
        putIf(body, "explicit_max_ttl", explicitMaxTtl);
        putIf(body, "period", period);
        putIf(body, "display_name", displayName);
        body.put("num_uses", useLimit);
        body.put("renewable", renewable);
        if (metadata != null) {
            ObjectNode m = body.putObject("meta");
            metadata.forEach(m::put);
        }
        String path = orphan ? "auth/token/create-orphan" : "auth/token/create";
        return ResponseView.print(ctx, format, field, client.write(path, body).orElseThrow());
    }

    static void putIf(ObjectNode body, String name, String value) {
        if (value != null && !value.isBlank()) {
            body.put(name, value);
        }
    }
}
