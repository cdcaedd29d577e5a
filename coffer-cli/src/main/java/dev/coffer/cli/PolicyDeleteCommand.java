package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer policy delete NAME}. */
@Command(name = "delete", description = "Delete a policy (root and default cannot be deleted).")
final class PolicyDeleteCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    PolicyDeleteCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "deleting policy";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        client.delete("sys/policies/acl/" + name);
        ctx.out().println("Success! Deleted policy: " + name);
        return 0;
    }
}
