package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer token lookup [TOKEN]}: shows a token's properties (the current token when none is given). */
@Command(name = "lookup", description = "Show a token's properties; without TOKEN, the current token's.")
final class TokenLookupCommand extends ClientCommand {
    @Parameters(arity = "0..1", paramLabel = "TOKEN|ACCESSOR", description = "Token, or accessor with -accessor.")
    String target;

    @Option(names = {"-accessor", "--accessor"}, description = "The argument is an accessor, not a token.")
    boolean accessor;

    @Option(names = {"-field", "--field"}, paramLabel = "NAME", description = "Print only this field.")
    String field;

    TokenLookupCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "looking up token";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        JsonNode body;
        if (target == null) {
            if (accessor) {
                throw usage("-accessor needs an ACCESSOR argument");
            }
            body = client.lookupSelf();
        } else if (accessor) {
            body = client.write("auth/token/lookup-accessor", CofferClient.mapper().createObjectNode()
                    .put("accessor", target)).orElseThrow();
        } else {
            body = client.write("auth/token/lookup", CofferClient.mapper().createObjectNode().put("token", target))
                    .orElseThrow();
        }
        return ResponseView.print(ctx, format, field, body);
    }
}
