package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import dev.coffer.api.SealStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer operator unseal [KEY]}: submits one key share and shows the resulting seal status. */
@Command(name = "unseal", description = {"Submit one unseal key share.",
    "Without KEY the share is read from the terminal without echo (or one line of standard input)."})
final class OperatorUnsealCommand extends ClientCommand {
    @Parameters(arity = "0..1", paramLabel = "KEY",
            description = "Key share (base64 or hex). Prefer the prompt: arguments end up in shell history.")
    String key;

    @Option(names = {"-reset", "--reset"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Discard the key shares submitted so far.")
    boolean reset;

    @Option(names = {"-migrate", "--migrate"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Mark the share as part of a seal migration.")
    boolean migrate;

    OperatorUnsealCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "unsealing";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        if (reset && key != null) {
            throw usage("give either -reset or a KEY, not both");
        }
        SealStatus status = reset ? client.unsealReset() : client.unseal(readKey(), migrate);
        StatusView.print(ctx.out(), format, status, StatusView.leader(client, status));
        return 0;
    }

    private String readKey() {
        String value = key != null ? key : ctx.prompter().readSecret("Unseal Key (will be hidden): ");
        if (value == null || value.isBlank()) {
            throw new CommandFailure("Error unsealing: no unseal key was given");
        }
        return value.strip();
    }
}
