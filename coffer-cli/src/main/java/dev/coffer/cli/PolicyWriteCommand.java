package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer policy write NAME FILE|-}: uploads a policy from a file or standard input. */
@Command(name = "write", description = "Create or replace a policy from FILE (or - for standard input).")
final class PolicyWriteCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Policy name (stored lower case).")
    String name;

    @Parameters(index = "1", paramLabel = "FILE", description = "HCL or JSON policy file, or - for standard input.")
    String file;

    PolicyWriteCommand(CliContext ctx) {
        super(ctx);
    }

    /** Standard input, line by line through the prompter (which reads plain lines when input is piped). */
    private String readStdin() {
        StringBuilder sb = new StringBuilder();
        for (String line = ctx.prompter().readSecret(""); line != null; line = ctx.prompter().readSecret("")) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    @Override
    protected String action() {
        return "uploading policy";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        String text;
        try {
            text = file.equals("-") ? readStdin() : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new CommandFailure("Error reading policy from " + file + ": " + e.getMessage());
        }
        var res = client.write("sys/policies/acl/" + name, CofferClient.mapper().createObjectNode().put("policy", text));
        res.ifPresent(body -> body.path("warnings").forEach(w -> ctx.err().println("WARNING! " + w.asText())));
        ctx.out().println("Success! Uploaded policy: " + name);
        return 0;
    }
}
