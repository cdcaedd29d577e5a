package dev.coffer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer token revoke}: revokes a token and its children. */
@Command(name = "revoke", description = "Revoke a token and, unless -mode=orphan, all its children.")
final class TokenRevokeCommand extends ClientCommand {
    @Parameters(arity = "0..1", paramLabel = "TOKEN|ACCESSOR", description = "Token, or accessor with -accessor.")
    String target;

    @Option(names = {"-accessor", "--accessor"}, description = "The argument is an accessor, not a token.")
    boolean accessor;

    @Option(names = {"-self", "--self"}, description = "Revoke the current token.")
    boolean self;

    @Option(names = {"-mode", "--mode"}, paramLabel = "MODE",
            description = "orphan: revoke only this token; its children become orphans (needs sudo).")
    String mode;

    TokenRevokeCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "revoking token";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        if (self == (target != null)) {
            throw usage("give either a TOKEN (or ACCESSOR with -accessor) or -self");
        }
        ObjectNode body = CofferClient.mapper().createObjectNode();
        String path;
        if (self) {
            path = "auth/token/revoke-self";
        } else if (accessor) {
            body.put("accessor", target);
            path = "auth/token/revoke-accessor";
        } else {
            body.put("token", target);
            path = "orphan".equals(mode) ? "auth/token/revoke-orphan" : "auth/token/revoke";
        }
        client.write(path, body);
        ctx.out().println("Success! Revoked token (if it existed)");
        return 0;
    }
}
