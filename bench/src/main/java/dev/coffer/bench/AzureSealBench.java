package dev.coffer.bench;

import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.KmsWrappers;
import dev.coffer.seal.azure.AzureFakeForTests;
import dev.coffer.server.LogSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Seal wrap/unwrap round trips per second through the production {@code azurekeyvault} seal (the real Azure SDK,
 * loaded by ServiceLoader as the server loads it) against the in-process HTTPS fake of Key Vault + Entra ID, beside
 * the fake's physical limit: a raw JCA RSA-OAEP-256 unwrap (RSA-2048 private-key operation, exactly what the fake
 * does per unwrapKey) on the same machine, same run, same thread counts.
 *
 * <p>Needs {@code -Djdk.net.hosts.file} mapping {@code coffer-seal.localhost} to 127.0.0.1 (bench/azure-seal-bench.sh
 * writes it). {@code -Dseconds} per measurement (default 8), {@code -Dthreads} for the concurrent figures (default 8).
 */
public final class AzureSealBench {

    private static final OAEPParameterSpec OAEP_256 = new OAEPParameterSpec("SHA-256", "MGF1",
            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    private AzureSealBench() {
    }

    interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        LogSetup.configure("error", "standard");
        int seconds = Integer.getInteger("seconds", 8);
        int threads = Integer.getInteger("threads", 8);
        int cores = Runtime.getRuntime().availableProcessors();
        if (System.getProperty("jdk.net.hosts.file") == null) {
            throw new IllegalStateException("run with -Djdk.net.hosts.file=FILE mapping coffer-seal.localhost to 127.0.0.1");
        }
        try (AzureFakeForTests azure = AzureFakeForTests.start()) {
            Path trust = azure.writeTrustStore(Files.createTempDirectory("azure-seal-bench").resolve("trust.p12"), "changeit");
            System.setProperty("javax.net.ssl.trustStore", trust.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            KmsWrapper seal = KmsWrappers.create("azurekeyvault", Map.of("tenant_id", azure.tenantId(),
                    "client_id", azure.clientId(), "client_secret", azure.clientSecret(), "vault_name", "bench",
                    "key_name", azure.keyName(), "vault_url", azure.vaultUrl(), "authority_host", azure.authorityHost()));
            byte[] rootKey = new byte[32];
            new SecureRandom().nextBytes(rootKey);
            byte[] aad = "core/hsm/barrier-unseal-keys".getBytes();
            BlobInfo blob = seal.encrypt(rootKey, aad);

            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Cipher wrapper = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
            wrapper.init(Cipher.ENCRYPT_MODE, pair.getPublic(), OAEP_256);
            byte[] wrapped = wrapper.doFinal(rootKey);
            Op jcaUnwrap = () -> {
                Cipher c = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
                c.init(Cipher.DECRYPT_MODE, pair.getPrivate(), OAEP_256);
                c.doFinal(wrapped);
            };
            Op sealUnwrap = () -> seal.decrypt(blob, aad);
            Op sealRoundTrip = () -> seal.decrypt(seal.encrypt(rootKey, aad), aad);

            System.out.printf(Locale.ROOT, "warm-up %d s each; %d s per figure; %d cores%n", seconds / 2, seconds, cores);
            measure(sealRoundTrip, 1, seconds / 2);
            measure(jcaUnwrap, 1, seconds / 2);
            double roundTrips = measure(sealRoundTrip, 1, seconds);
            double unwraps1 = measure(sealUnwrap, 1, seconds);
            double jca1 = measure(jcaUnwrap, 1, seconds);
            double unwrapsN = measure(sealUnwrap, threads, seconds);
            double jcaN = measure(jcaUnwrap, cores, seconds);
            print("seal wrap+unwrap round trips (encrypt then decrypt), 1 thread", roundTrips, "raw JCA RSA-OAEP-256 unwrap, 1 thread", jca1);
            print("seal unwrap (decrypt), 1 thread", unwraps1, "raw JCA RSA-OAEP-256 unwrap, 1 thread", jca1);
            print("seal unwrap (decrypt), " + threads + " threads", unwrapsN, "raw JCA RSA-OAEP-256 unwrap, " + cores + " threads (all cores)", jcaN);
            System.out.printf(Locale.ROOT, "Key Vault calls served by the fake: wrapkey %d, unwrapkey %d, token requests %d%n",
                    azure.calls("wrapkey"), azure.calls("unwrapkey"),
                    azure.requests().stream().filter(r -> r.endpoint().equals("token")).count());
            seal.close();
        }
    }

    private static void print(String what, double opsPerSecond, String ceiling, double ceilingOps) {
        System.out.printf(Locale.ROOT, "%-62s %,10.0f ops/s | ceiling %-55s %,10.0f ops/s | ratio %.3f%n",
                what, opsPerSecond, ceiling, ceilingOps, opsPerSecond / ceilingOps);
    }

    /** Operations per second of {@code op} run back to back by {@code threads} threads for {@code seconds}. */
    private static double measure(Op op, int threads, int seconds) throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        op.run();
                        done.increment();
                    }
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                }
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("benchmark operation failed", failures.get(0));
        }
        return done.sum() / (elapsed / 1e9);
    }
}
