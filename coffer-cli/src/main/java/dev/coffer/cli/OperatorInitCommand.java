package dev.coffer.cli;

import dev.coffer.api.CofferClient;
import dev.coffer.api.InitRequest;
import dev.coffer.api.InitResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer operator init}: creates the root key and prints the key shares and root token, once. */
@Command(name = "init", description = {"Initialize a new server and print its key shares and root token.",
    "The output is the only copy of these secrets."},
        footer = {"", "Exit codes: 0 success; with -status: 0 initialized, 2 not initialized; 1 error."})
final class OperatorInitCommand extends ClientCommand {
    static final int DEFAULT_SHARES = 5;
    static final int DEFAULT_THRESHOLD = 3;

    @Option(names = {"-key-shares", "--key-shares"}, paramLabel = "N",
            description = "Number of unseal key shares (Shamir seal; default 5).")
    Integer keyShares;

    @Option(names = {"-key-threshold", "--key-threshold"}, paramLabel = "N",
            description = "Shares needed to unseal (default 3).")
    Integer keyThreshold;

    @Option(names = {"-recovery-shares", "--recovery-shares"}, paramLabel = "N",
            description = "Number of recovery key shares (auto seal; default 5).")
    Integer recoveryShares;

    @Option(names = {"-recovery-threshold", "--recovery-threshold"}, paramLabel = "N",
            description = "Recovery shares needed for recovery operations (default 3).")
    Integer recoveryThreshold;

    @Option(names = {"-status", "--status"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Only report whether the server is initialized (exit 0 yes, 2 no).")
    boolean statusOnly;

    OperatorInitCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return statusOnly ? "checking init status" : "initializing";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        if (statusOnly) {
            boolean initialized = client.initStatus();
            ctx.out().println(initialized ? "Vault is initialized" : "Vault is not initialized");
            return initialized ? 0 : 2;
        }
        InitRequest request = request(client.sealStatus().recoverySeal());
        InitResponse response = client.init(request);
        if (format == OutputFormat.JSON) {
            Output.json(ctx.out(), InitView.json(request, response));
        } else {
            InitView.printTable(ctx.out(), request, response);
        }
        return 0;
    }

    /**
     * An auto seal unseals by itself, so it gets recovery shares and only the unseal flags the user typed; a
     * Shamir seal gets unseal shares and only the recovery flags the user typed (the server rejects the rest).
     */
    private InitRequest request(boolean autoSeal) {
        if (autoSeal) {
            return new InitRequest(keyShares, keyThreshold, orDefault(recoveryShares, DEFAULT_SHARES),
                    orDefault(recoveryThreshold, DEFAULT_THRESHOLD));
        }
        return new InitRequest(orDefault(keyShares, DEFAULT_SHARES), orDefault(keyThreshold, DEFAULT_THRESHOLD),
                recoveryShares, recoveryThreshold);
    }

    private static Integer orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
