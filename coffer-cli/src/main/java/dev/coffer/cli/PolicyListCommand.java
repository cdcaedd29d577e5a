package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;

/** {@code coffer policy list}: one policy name per line. */
@Command(name = "list", description = "List policy names.")
final class PolicyListCommand extends ClientCommand {
    PolicyListCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "listing policies";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        var body = client.list("sys/policies/acl").orElseThrow(() -> new CommandFailure("No policies found"));
        var keys = body.path("data").path("keys");
        if (format == OutputFormat.JSON) {
            Output.json(ctx.out(), keys);
        } else {
            keys.forEach(k -> ctx.out().println(k.asText()));
        }
        return 0;
    }
}
