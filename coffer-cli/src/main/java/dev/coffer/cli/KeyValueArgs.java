package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code key=value} arguments as a JSON object, as Vault's CLI reads them: {@code key=@file} takes the value
 * from a file, a single {@code -} reads a JSON object from standard input.
 */
final class KeyValueArgs {
    private KeyValueArgs() {
    }

    static ObjectNode parse(List<String> args, CliContext ctx) {
        ObjectNode out = CofferClient.mapper().createObjectNode();
        if (args.size() == 1 && args.get(0).equals("-")) {
            return readStdin(ctx);
        }
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new CommandFailure("Error: \"" + shown(arg) + "\" is not key=value; write each field as key=value, "
                        + "key=@file, or pass - to read JSON from stdin");
            }
            String value = arg.substring(eq + 1);
            out.put(arg.substring(0, eq), value.startsWith("@") ? readFile(value.substring(1)) : value);
        }
        return out;
    }

    private static String readFile(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new CommandFailure("Error: cannot read \"" + file + "\": " + e.getMessage());
        }
    }

    private static ObjectNode readStdin(CliContext ctx) {
        StringBuilder text = new StringBuilder();
        for (String line = ctx.prompter().readSecret(""); line != null; line = ctx.prompter().readSecret("")) {
            text.append(line).append('\n');
        }
        try {
            JsonNode node = CofferClient.mapper().readTree(text.toString());
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException e) {
            // reported below without echoing the input, which may be secret
        }
        throw new CommandFailure("Error: standard input must be one JSON object, e.g. {\"password\":\"...\"}");
    }

    /** Arguments may hold secrets: show only the part before '=' or a short prefix. */
    private static String shown(String arg) {
        return arg.length() > 12 ? arg.substring(0, 12) + "..." : arg;
    }
}
