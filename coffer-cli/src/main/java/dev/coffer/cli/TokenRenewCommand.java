package dev.coffer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer token renew [TOKEN]}: extends a token's TTL (the current token when none is given). */
@Command(name = "renew", description = "Renew a token's TTL; without TOKEN, the current token.")
final class TokenRenewCommand extends ClientCommand {
    @Parameters(arity = "0..1", paramLabel = "TOKEN|ACCESSOR", description = "Token, or accessor with -accessor.")
    String target;

    @Option(names = {"-accessor", "--accessor"}, description = "The argument is an accessor, not a token.")
    boolean accessor;

    @Option(names = {"-increment", "--increment", "-i"}, paramLabel = "DURATION",
            description = "Requested new TTL from now, e.g. 1h (default: the token's own TTL).")
    String increment;

    @Option(names = {"-field", "--field"}, paramLabel = "NAME", description = "Print only this field.")
    String field;

    TokenRenewCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "renewing token";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        ObjectNode body = CofferClient.mapper().createObjectNode();
        TokenCreateCommand.putIf(body, "increment", increment);
        String path = "auth/token/renew-self";
        if (target != null) {
            body.put(accessor ? "accessor" : "token", target);
            path = accessor ? "auth/token/renew-accessor" : "auth/token/renew";
        } else if (accessor) {
            throw usage("-accessor needs an ACCESSOR argument");
        }
        return ResponseView.print(ctx, format, field, client.write(path, body).orElseThrow());
    }
}
