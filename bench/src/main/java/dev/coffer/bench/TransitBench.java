package dev.coffer.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.barrier.AesGcmBarrier;
import dev.coffer.barrier.BarrierView;
import dev.coffer.logical.BackendContext;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.logical.transit.TransitBackend;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Transit {@code encrypt/} of 1 KiB (one item per request, and a batch of 100 counted per item) against its
 * ceiling: raw JCA AES-256-GCM encryption of the same 1 KiB with a fresh random nonce and a Cipher kept per
 * thread. The engine is called as the request pipeline calls it (existence check, then the handler; no HTTP, token,
 * ACL or audit), so the ratio shows the engine's own work: the base64 of the request and the answer, the
 * ciphertext's text form, the key lookup and the result objects.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransitBench {
    static final int VALUE_SIZE = 1024;
    static final int BATCH = 100;

    @State(Scope.Benchmark)
    public static class Shared {
        final SecureRandom random = new SecureRandom();
        AesGcmBarrier barrier;
        TransitBackend transit;
        LogicalRequest single;
        LogicalRequest batch;
        final byte[] rawKey = new byte[32];

        @Setup(Level.Trial)
        public void setUp() {
            byte[] rootKey = new byte[32];
            random.nextBytes(rootKey);
            random.nextBytes(rawKey);
            barrier = new AesGcmBarrier(new BarrierBench.MapStorage(), random, Clock.systemUTC());
            barrier.initialize(rootKey);
            barrier.unseal(rootKey);
            transit = new TransitBackend(new BackendContext(null, new BarrierView(barrier, "logical/bench/"),
                    Clock.systemUTC(), random, null));
            transit.handle(request("keys/bench", JsonNodeFactory.instance.objectNode()));
            byte[] value = new byte[VALUE_SIZE];
            random.nextBytes(value);
            String b64 = Base64.getEncoder().encodeToString(value);
            single = request("encrypt/bench", JsonNodeFactory.instance.objectNode().put("plaintext", b64));
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ArrayNode items = body.putArray("batch_input");
            for (int i = 0; i < BATCH; i++) {
                items.addObject().put("plaintext", b64);
            }
            batch = request("encrypt/bench", body);
        }

        private static LogicalRequest request(String path, ObjectNode body) {
            return new LogicalRequest("bench", Operation.UPDATE, "transit/" + path, "transit/", path, body, null, null,
                    "127.0.0.1", Map.of());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            transit.close();
            barrier.seal();
        }
    }

    @State(Scope.Thread)
    public static class PerThread {
        final byte[] value = new byte[VALUE_SIZE];
        Cipher cipher;
        SecretKeySpec key;

        @Setup(Level.Trial)
        public void setUp(Shared shared) throws GeneralSecurityException {
            shared.random.nextBytes(value);
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            key = new SecretKeySpec(shared.rawKey, "AES");
        }
    }

    @Benchmark
    public LogicalResponse transitEncrypt(Shared shared) {
        return engine(shared.transit, shared.single);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public LogicalResponse transitEncryptBatchPerItem(Shared shared) {
        return engine(shared.transit, shared.batch);
    }

    /** The engine's part of the request pipeline: the existence check (CREATE vs UPDATE), then the handler. */
    private static LogicalResponse engine(TransitBackend transit, LogicalRequest req) {
        if (Boolean.FALSE.equals(transit.exists(req))) {
            throw new IllegalStateException("the bench key is missing; the request would become a CREATE");
        }
        return transit.handle(req);
    }

    @Benchmark
    public byte[] rawJcaEncrypt(Shared shared, PerThread t) throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        shared.random.nextBytes(nonce);
        t.cipher.init(Cipher.ENCRYPT_MODE, t.key, new GCMParameterSpec(128, nonce));
        return t.cipher.doFinal(t.value);
    }
}
