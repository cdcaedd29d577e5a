package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer policy read NAME}: prints the policy text. */
@Command(name = "read", description = "Print a policy.")
final class PolicyReadCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = {"-field", "--field"}, paramLabel = "NAME", description = "Print only this field.")
    String field;

    PolicyReadCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "reading policy";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        var body = client.read("sys/policies/acl/" + name).orElseThrow(() -> new CommandFailure(
                "No policy named: " + name));
        if (field == null && format == OutputFormat.TABLE) {
            ctx.out().print(body.path("data").path("policy").asText());
            return 0;
        }
        return ResponseView.print(ctx, format, field, body);
    }
}
