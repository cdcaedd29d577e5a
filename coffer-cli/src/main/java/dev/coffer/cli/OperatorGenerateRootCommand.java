package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.CofferClient;
import java.security.SecureRandom;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer operator generate-root}: mint a new root token with a threshold of unseal keys (OTP flow).
 * {@code -init} generates the OTP locally and prints it; each key holder then submits a key; the last one
 * gets the encoded token, which {@code -decode=ENCODED -otp=OTP} turns back into the token.
 */
@Command(name = "generate-root", description = {"Generate a new root token from a threshold of unseal keys.",
    "Start with -init (prints the OTP), submit keys with -nonce, decode with -decode=... -otp=..."})
final class OperatorGenerateRootCommand extends ClientCommand {
    /** The server's OTP length: that of a token ("hvs." plus 32 characters). */
    static final int OTP_LENGTH = 36;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @Parameters(arity = "0..1", paramLabel = "KEY", description = "Unseal key; prompted for when omitted.")
    String key;

    @Option(names = {"-init", "--init"}, description = "Start an attempt; prints the OTP and nonce.")
    boolean init;

    @Option(names = {"-otp", "--otp"}, paramLabel = "OTP", description = "OTP to use with -init or -decode.")
    String otp;

    @Option(names = {"-nonce", "--nonce"}, paramLabel = "NONCE", description = "Nonce of the attempt (from -init).")
    String nonce;

    @Option(names = {"-decode", "--decode"}, paramLabel = "ENCODED", description = "Decode an encoded token with -otp.")
    String decode;

    @Option(names = {"-status", "--status"}, description = "Show the progress of the current attempt.")
    boolean status;

    @Option(names = {"-cancel", "--cancel"}, description = "Cancel the current attempt.")
    boolean cancel;

    @Option(names = {"-pgp-key", "--pgp-key"}, paramLabel = "KEY", hidden = true)
    String pgpKey;

    OperatorGenerateRootCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "generating root";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        if (pgpKey != null) {
            throw usage("-pgp-key is not supported; use the OTP flow (-init)");
        }
        if (decode != null) {
            if (otp == null) {
                throw usage("-decode needs -otp");
            }
            ctx.out().println(decode(decode, otp));
            return 0;
        }
        if (cancel) {
            client.generateRootCancel();
            ctx.out().println("Success! Root token generation canceled (if there was one)");
            return 0;
        }
        if (status) {
            return show(format, client.generateRootStatus(), null);
        }
        if (init) {
            String pad = otp != null ? otp : newOtp();
            return show(format, client.generateRootInit(pad), pad);
        }
        return update(client, format);
    }

    private int update(CofferClient client, OutputFormat format) {
        String n = nonce != null ? nonce : client.generateRootStatus().path("nonce").asText("");
        if (n.isEmpty()) {
            throw new CommandFailure("Error generating root: no attempt is in progress; start one with -init");
        }
        String k = key != null ? key : ctx.prompter().readSecret("Unseal Key (will be hidden): ");
        if (k == null || k.isBlank()) {
            throw new CommandFailure("Error generating root: no unseal key was given");
        }
        return show(format, client.generateRootUpdate(k.strip(), n), null);
    }

    private int show(OutputFormat format, JsonNode s, String pad) {
        if (format == OutputFormat.JSON) {
            Output.json(ctx.out(), s);
            return 0;
        }
        List<Output.Row> rows = new java.util.ArrayList<>();
        rows.add(Output.Row.of("Nonce", s.path("nonce").asText()));
        rows.add(Output.Row.of("Started", s.path("started").asBoolean()));
        rows.add(Output.Row.of("Progress", s.path("progress").asInt() + "/" + s.path("required").asInt()));
        rows.add(Output.Row.of("Complete", s.path("complete").asBoolean()));
        if (!s.path("encoded_token").asText("").isEmpty()) {
            rows.add(Output.Row.of("Encoded Token", s.path("encoded_token").asText()));
        }
        if (pad != null) {
            rows.add(Output.Row.of("OTP", pad));
            rows.add(Output.Row.of("OTP Length", pad.length()));
        }
        Output.keyValueTable(ctx.out(), rows);
        return 0;
    }

    /** The token from base64(token XOR otp); the CLI's own copy so it never depends on the server's code. */
    static String decode(String encoded, String pad) {
        byte[] x;
        try {
            x = java.util.Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("Error decoding: the encoded token is not valid base64; paste it exactly as printed");
        }
        byte[] p = pad.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (p.length != x.length) {
            throw new CommandFailure("Error decoding: the OTP has " + p.length + " characters but the encoded token "
                    + x.length + " bytes; use the OTP printed by -init for this attempt");
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (byte) (x[i] ^ p[i]);
        }
        return new String(x, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String newOtp() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < OTP_LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
