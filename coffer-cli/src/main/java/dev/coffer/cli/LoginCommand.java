package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.ClientConfig;
import dev.coffer.api.CofferClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer login [TOKEN]}: checks a token with lookup-self and saves it to ~/.vault-token. */
@Command(name = "login", description = {"Authenticate with a token and save it for later commands (~/.vault-token).",
    "Without TOKEN it is read from the terminal without echo."})
final class LoginCommand extends ClientCommand {
    @Parameters(arity = "0..1", paramLabel = "TOKEN", description = "The token. Prefer the prompt: arguments end up "
            + "in shell history.")
    String token;

    @Option(names = {"-method", "--method"}, paramLabel = "TYPE", defaultValue = "token",
            description = "Auth method; only token is supported.")
    String method;

    @Option(names = {"-field", "--field"}, paramLabel = "NAME", description = "Print only this field.")
    String field;

    LoginCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "logging in";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        if (!method.equals("token")) {
            throw usage("unsupported auth method \"" + method + "\"; only -method=token is available");
        }
        String t = token != null ? token : ctx.prompter().readSecret("Token (will be hidden): ");
        if (t == null || t.isBlank()) {
            throw new CommandFailure("Error logging in: no token was given");
        }
        ClientConfig withToken = client.config().withToken(t.strip());
        JsonNode info;
        try (CofferClient verifying = CofferClient.create(withToken)) {
            info = verifying.lookupSelf();
        }
        saveToken(t.strip());
        if (field == null && format == OutputFormat.TABLE) {
            ctx.out().println("Success! You are now authenticated. The token information displayed below is already");
            ctx.out().println("stored in the token helper. You do NOT need to run \"coffer login\" again.");
            ctx.out().println();
        }
        return ResponseView.print(ctx, format, field, info);
    }

    private void saveToken(String value) {
        Path file = ctx.home().resolve(ClientConfig.TOKEN_FILE);
        try {
            Files.writeString(file, value);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the home directory's own permissions protect it
            }
        } catch (IOException e) {
            throw new CommandFailure("Error saving the token to " + file + ": " + e.getMessage()
                    + "; check the home directory is writable");
        }
    }
}
