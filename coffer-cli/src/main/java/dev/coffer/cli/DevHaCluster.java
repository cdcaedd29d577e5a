package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code coffer server -dev-ha}: an embedded PostgreSQL (or {@code COFFER_DEV_PG_URL}), a dev node that serves as
 * transit seal provider, and N child server processes of this same jar on 127.0.0.1 with storage postgresql
 * ({@code ha_enabled}) and {@code seal "transit"}, so every node, also one restarted by hand, unseals itself.
 * Prints the addresses and which node is active, then watches: kill the active process and a standby takes
 * over. Never for real secrets: the recovery key and root token are printed, and the provider keeps its
 * transit key in memory only.
 */
final class DevHaCluster {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int size;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<Process> processes = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    /** The transit key on the seal provider node that wraps the HA nodes' root key. */
    static final String SEAL_KEY = "autounseal";
    private Process provider;
    private String providerAddress;

    DevHaCluster(int size, PrintStream out) {
        this.size = size;
        this.out = out;
    }

    int run() {
        try {
            return runChecked();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private int runChecked() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("coffer-dev-ha-");
        String url = System.getenv("COFFER_DEV_PG_URL");
        EmbeddedPostgres postgres = null;
        if (url == null || url.isBlank()) {
            out.println("==> starting an embedded PostgreSQL 17 ...");
            if (org.slf4j.LoggerFactory.getLogger("io.zonky") instanceof ch.qos.logback.classic.Logger zonky) {
                zonky.setLevel(ch.qos.logback.classic.Level.WARN); // initdb and postmaster chatter
            }
            postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
            url = "postgres://postgres@localhost:" + postgres.getPort() + "/postgres?sslmode=disable";
        }
        EmbeddedPostgres pg = postgres;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // the HA nodes first, then the seal provider they depend on, then the database
            stopAll(processes);
            stopAll(provider == null ? List.of() : List.of(provider));
            if (pg != null) {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }
        }));
        List<String> command0 = javaCommand();
        int nextPort = freePortFrom(8200);
        String sealToken = startSealProvider(dir, command0, nextPort);
        nextPort += 2;
        List<Path> configs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int port = freePortFrom(nextPort);
            nextPort = port + 2;
            Path nodeDir = Files.createDirectories(dir.resolve("node" + (i + 1)));
            Path config = Files.writeString(nodeDir.resolve("coffer.hcl"), """
                    storage "postgresql" {
                      connection_url = "%s"
                      ha_enabled     = "true"
                    }
                    seal "transit" {
                      address    = "%s"
                      token      = "%s"
                      key_name   = "%s"
                      mount_path = "transit/"
                    }
                    listener "tcp" {
                      address     = "127.0.0.1:%d"
                      tls_disable = true
                    }
                    disable_mlock = true
                    api_addr      = "http://127.0.0.1:%d"
                    cluster_addr  = "https://127.0.0.1:%d"
                    """.formatted(url, providerAddress, sealToken, SEAL_KEY, port, port, port + 1));
            configs.add(config);
            List<String> command = new ArrayList<>(command0);
            command.addAll(List.of("server", "-config=" + config));
            processes.add(start(command, nodeDir));
            addresses.add("http://127.0.0.1:" + port);
        }
        awaitHealth(addresses.get(0));
        // as soon as the first node answers: the others retry their auto-unseal with a growing pause meanwhile
        JsonNode init = call(addresses.get(0), "PUT", "sys/init", null, "{\"recovery_shares\":1,\"recovery_threshold\":1}");
        String recoveryKey = init.path("recovery_keys_base64").path(0).asText();
        String root = init.path("root_token").asText();
        for (String address : addresses) {
            awaitUnsealed(address);
        }
        awaitActive();
        call(addresses.get(0), "POST", "sys/mounts/secret", root, "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
        out.println();
        out.println("==> Coffer HA dev cluster: " + size + " nodes on one PostgreSQL (never for real secrets)");
        out.println("    PostgreSQL:    " + url);
        out.println("    seal provider: " + providerAddress + "  pid " + provider.pid() + "  (dev node, transit key \""
                + SEAL_KEY + "\"; log " + dir.resolve("seal-provider").resolve("server.log") + ")");
        out.println("    Recovery Key:  " + recoveryKey);
        out.println("    Root Token:    " + root);
        for (int i = 0; i < size; i++) {
            out.println("    node " + (i + 1) + ":        " + addresses.get(i) + "  pid " + processes.get(i).pid()
                    + "  config " + configs.get(i) + "  log " + dir.resolve("node" + (i + 1)).resolve("server.log"));
        }
        out.println("    The nodes auto-unseal through the seal provider's transit engine (seal \"transit\"), so a");
        out.println("    restarted node needs no key:  coffer server -config=<its config>");
        out.println("    KV v2 is mounted at secret/; write through any node, standbys forward to the active one.");
        out.println("    export VAULT_ADDR=" + addresses.get(0) + " VAULT_TOKEN=" + root);
        out.println("    Kill the active node (kill -9 <pid>) to watch a standby take over; Ctrl-C stops everything.");
        watch();
        return 1;
    }

    /**
     * Starts the seal provider: a dev node (in memory) with a transit key and a periodic token that may only
     * encrypt and decrypt with it, as an operator would set up a real transit seal. Returns that token.
     */
    private String startSealProvider(Path dir, List<String> command0, int port) throws IOException, InterruptedException {
        Path providerDir = Files.createDirectories(dir.resolve("seal-provider"));
        String rootToken = "dev-" + java.util.UUID.randomUUID();
        List<String> command = new ArrayList<>(command0);
        command.addAll(List.of("server", "-dev", "-dev-listen-address=127.0.0.1:" + port, "-dev-root-token-id=" + rootToken));
        provider = start(command, providerDir);
        providerAddress = "http://127.0.0.1:" + port;
        awaitHealth(providerAddress);
        call(providerAddress, "POST", "sys/mounts/transit", rootToken, "{\"type\":\"transit\"}");
        call(providerAddress, "POST", "transit/keys/" + SEAL_KEY, rootToken, "{}");
        String policy = ("path \"transit/encrypt/%s\" { capabilities = [\"update\"] }\n"
                + "path \"transit/decrypt/%s\" { capabilities = [\"update\"] }\n"
                + "path \"transit/keys/%s\" { capabilities = [\"read\"] }\n").formatted(SEAL_KEY, SEAL_KEY, SEAL_KEY);
        call(providerAddress, "PUT", "sys/policies/acl/" + SEAL_KEY, rootToken,
                JSON.createObjectNode().put("policy", policy).toString());
        JsonNode token = call(providerAddress, "POST", "auth/token/create", rootToken, "{\"policies\":[\"" + SEAL_KEY
                + "\"],\"period\":\"24h\",\"no_parent\":true,\"display_name\":\"coffer-dev-ha-seal\"}");
        return token.path("auth").path("client_token").asText();
    }

    /**
     * A child process of this jar logging to {@code dir/server.log}, with none of the VAULT_ variables of this
     * shell: {@code VAULT_ADDR} or {@code VAULT_TOKEN} would override the transit seal's settings.
     */
    private static Process start(List<String> command, Path dir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("server.log").toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("VAULT_"));
        builder.environment().put("COFFER_DEV_SKIP_TOKEN_FILE", "true"); // the provider must not touch ~/.vault-token
        return builder.start();
    }

    private static void stopAll(List<Process> list) {
        list.forEach(Process::destroy);
        for (Process p : list) {
            try {
                p.waitFor();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Prints a line whenever the active node changes; a node restarted by hand shows up again by its address. */
    private void watch() throws InterruptedException {
        String lastActive = null;
        boolean providerReported = false;
        while (true) {
            String active = null;
            StringBuilder state = new StringBuilder();
            boolean anyUp = false;
            for (int i = 0; i < size; i++) {
                String mode;
                JsonNode leader = tryCall(addresses.get(i), "GET", "sys/leader");
                if (leader == null) {
                    mode = processes.get(i).isAlive() ? "down" : "dead";
                } else {
                    anyUp = true;
                    mode = leader.path("is_self").asBoolean() ? "ACTIVE" : "standby";
                    if (mode.equals("ACTIVE")) {
                        active = addresses.get(i);
                    }
                }
                state.append(state.isEmpty() ? "" : ", ").append("node ").append(i + 1).append(' ').append(mode);
            }
            if (active != null && !active.equals(lastActive)) {
                out.printf("%s  active node: %s  (%s)%n", java.time.LocalTime.now().withNano(0), active, state);
                lastActive = active;
            } else if (active == null && lastActive != null) {
                out.printf("%s  no active node (%s)%n", java.time.LocalTime.now().withNano(0), state);
                lastActive = null;
            }
            if (!providerReported && !provider.isAlive()) {
                out.println("the seal provider exited: running nodes keep working, but a restarted node stays sealed"
                        + " (the transit key lived in its memory)");
                providerReported = true;
            }
            if (!anyUp && processes.stream().noneMatch(Process::isAlive)) {
                out.println("all nodes have exited");
                return;
            }
            Thread.sleep(100);
        }
    }

    /** This JVM and this jar (or class path) with the same main class. */
    private static List<String> javaCommand() {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return command;
    }

    private static int freePortFrom(int start) {
        for (int port = start; port < start + 200; port += 2) {
            if (free(port) && free(port + 1)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitHealth(String address) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (tryCall(address, "GET", "sys/seal-status") != null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(address + " did not start within 90 s; see its server.log");
    }

    private JsonNode tryCall(String address, String method, String path) {
        try {
            return call(address, method, path, null, null);
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void awaitUnsealed(String address) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = tryCall(address, "GET", "sys/seal-status");
            if (status != null && status.path("initialized").asBoolean() && !status.path("sealed").asBoolean(true)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(address + " did not unseal itself through the transit seal within 120 s; see"
                + " its server.log");
    }

    private void awaitActive() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (String address : addresses) {
                JsonNode leader = tryCall(address, "GET", "sys/leader");
                if (leader != null && leader.path("is_self").asBoolean()) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no node became active within 60 s; see the nodes' server.log");
    }

    private JsonNode call(String address, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(address + "/v1/" + path)).timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("X-Vault-Token", token);
        }
        HttpResponse<String> r = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 400) {
            throw new IOException(method + " " + path + " at " + address + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }
}
