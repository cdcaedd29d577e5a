package dev.coffer.bench;

import dev.coffer.seal.azure.AzureFakeForTests;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Process start -> first 200 from {@code sys/health} (unsealed and active) of a {@code coffer server} process
 * sealed by Azure Key Vault (the in-process HTTPS fake of Key Vault + Entra ID, the seed's client-secret stanza),
 * beside the baseline {@code server -dev} (Shamir, in-memory, unsealed by dev mode) in the same run, runs
 * alternating, median of {@code -Druns} (default 5). The KMS share of each Azure start is read from the fake's
 * request log: from the first request it received (the Entra ID token request) to its last unwrapKey answer.
 *
 * <p>{@code -Dcoffer.jar=PATH} (bench/azure-startup-bench.sh passes coffer-dist/target/coffer.jar).
 */
public final class AzureStartupBench {

    private AzureStartupBench() {
    }

    record Run(long startMillis, long kmsMillis, int kmsRequests, long fakeMillis) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("coffer.jar", "coffer-dist/target/coffer.jar")).toAbsolutePath();
        int runs = Integer.getInteger("runs", 5);
        Path work = Files.createTempDirectory("coffer-azure-startup");
        try (AzureFakeForTests azure = AzureFakeForTests.start(); HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(1)).build()) {
            Path trust = azure.writeTrustStore(work.resolve("trust.p12"), "changeit");
            Path hosts = azure.writeHostsFile(work.resolve("hosts"));
            int port = freePort();
            Path config = Files.writeString(work.resolve("coffer.hcl"), """
                    storage "file" {
                      path = "%s"
                    }
                    listener "tcp" {
                      address     = "127.0.0.1:%d"
                      tls_disable = true
                    }
                    disable_mlock = true
                    seal "azurekeyvault" {
                      tenant_id      = "%s"
                      client_id      = "%s"
                      client_secret  = "%s"
                      vault_name     = "MyVaultUnsealKeyVault"
                      key_name       = "%s"
                      vault_url      = "%s"
                      authority_host = "%s"
                    }
                    """.formatted(work.resolve("data"), port, azure.tenantId(), azure.clientId(), azure.clientSecret(),
                    azure.keyName(), azure.vaultUrl(), azure.authorityHost()));
            List<String> azureServer = List.of("-Djavax.net.ssl.trustStore=" + trust, "-Djavax.net.ssl.trustStorePassword=changeit",
                    "-Djavax.net.ssl.trustStoreType=PKCS12", "-Djdk.net.hosts.file=" + hosts, "-jar", jar.toString(),
                    "server", "-config=" + config);
            String address = "http://127.0.0.1:" + port;

            // initialize once (recovery keys), so every measured start only has to unseal itself
            Process first = start(work, azureServer);
            awaitStatus(http, address, -1, first);
            HttpResponse<String> init = http.send(HttpRequest.newBuilder(URI.create(address + "/v1/sys/init"))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"recovery_shares\":5,\"recovery_threshold\":3}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (init.statusCode() != 200) {
                throw new IllegalStateException("init failed: " + init.statusCode() + " " + init.body());
            }
            awaitStatus(http, address, 200, first);
            stop(first);

            int devPort = freePort();
            List<String> devServer = List.of("-jar", jar.toString(), "server", "-dev", "-dev-listen-address=127.0.0.1:" + devPort);
            List<Run> azureRuns = new ArrayList<>();
            List<Long> devRuns = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                azure.clearRequests();
                long t0 = System.currentTimeMillis();
                Process p = start(work, azureServer);
                awaitStatus(http, address, 200, p);
                long ready = System.currentTimeMillis();
                List<AzureFakeForTests.Request> requests = azure.requests();
                long kmsStart = requests.get(0).receivedMillis();
                long kmsEnd = requests.stream().filter(r -> r.endpoint().equals("unwrapkey"))
                        .mapToLong(AzureFakeForTests.Request::answeredMillis).max().orElseThrow();
                long fakeMillis = requests.stream().mapToLong(r -> r.answeredMillis() - r.receivedMillis()).sum();
                azureRuns.add(new Run(ready - t0, kmsEnd - kmsStart, requests.size(), fakeMillis));
                stop(p);

                t0 = System.currentTimeMillis();
                Process dev = start(work, devServer);
                awaitStatus(http, "http://127.0.0.1:" + devPort, 200, dev);
                devRuns.add(System.currentTimeMillis() - t0);
                stop(dev);
            }
            List<Long> azureStarts = azureRuns.stream().map(Run::startMillis).sorted().toList();
            List<Long> kms = azureRuns.stream().map(Run::kmsMillis).sorted().toList();
            long azureMedian = median(azureStarts);
            long devMedian = median(devRuns);
            long kmsMedian = median(kms);
            System.out.printf(Locale.ROOT, "azurekeyvault seal (fake), start -> first 200 from sys/health: median %d ms (runs %s)%n",
                    azureMedian, azureRuns.stream().map(Run::startMillis).toList());
            System.out.printf(Locale.ROOT, "  KMS round trips (first request to the fake, the 401 challenge or token request -> last unwrapKey answer): median %d ms"
                    + " (runs %s, requests per start %s); share of the start %.1f%%%n", kmsMedian, azureRuns.stream()
                    .map(Run::kmsMillis).toList(), azureRuns.stream().map(Run::kmsRequests).toList(), 100.0 * kmsMedian / azureMedian);
            System.out.printf(Locale.ROOT, "  of which the fake spent answering (sum of receive -> answer per request): runs %s ms%n",
                    azureRuns.stream().map(Run::fakeMillis).toList());
            System.out.printf(Locale.ROOT, "baseline: server -dev (shamir, in-memory), start -> first 200: median %d ms (runs %s)%n",
                    devMedian, devRuns);
            System.out.printf(Locale.ROOT, "ratio azure / dev: %.2f; difference %d ms%n", (double) azureMedian / devMedian,
                    azureMedian - devMedian);
        }
    }

    private static Process start(Path work, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(work.resolve("server.out").toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("VAULT_") || k.startsWith("COFFER_") || k.startsWith("AZURE_"));
        builder.environment().put("COFFER_DEV_SKIP_TOKEN_FILE", "true");
        builder.environment().put("HOME", work.toString());
        return builder.start();
    }

    /** Polls sys/health every 5 ms until it answers {@code status} (-1: anything). */
    private static void awaitStatus(HttpClient http, String address, int status, Process process) throws Exception {
        HttpRequest health = HttpRequest.newBuilder(URI.create(address + "/v1/sys/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue());
            }
            try {
                int got = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == -1 || got == status) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no " + status + " from " + address + " within 120 s");
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
