package dev.coffer.bench;

import dev.coffer.barrier.AesGcmBarrier;
import dev.coffer.storage.StorageBackend;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Barrier put+get of a 1 KiB value against its ceiling: raw JCA AES-256-GCM encrypt+decrypt of the same
 * 1 KiB with the same per-call work a correct use of GCM needs anyway (fresh random 12-byte nonce, the path
 * as associated data, a Cipher kept per thread). The storage behind the barrier is a map, so the ratio shows
 * the barrier's own overhead (header, term lookup, counting, locking), not I/O.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BarrierBench {

    static final int VALUE_SIZE = 1024;

    /** One barrier shared by all benchmark threads, as on a server. */
    @State(Scope.Benchmark)
    public static class Shared {
        final SecureRandom random = new SecureRandom();
        final byte[] key = new byte[32];
        AesGcmBarrier barrier;

        @Setup(Level.Trial)
        public void setUp() {
            byte[] rootKey = new byte[32];
            random.nextBytes(rootKey);
            random.nextBytes(key);
            barrier = new AesGcmBarrier(new MapStorage(), random, java.time.Clock.systemUTC());
            barrier.initialize(rootKey);
            barrier.unseal(rootKey);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            barrier.seal();
        }
    }

    /** Per-thread value, path and (for the ceiling) Cipher. */
    @State(Scope.Thread)
    public static class PerThread {
        final byte[] value = new byte[VALUE_SIZE];
        String path;
        byte[] aad;
        Cipher cipher;
        SecretKeySpec key;

        @Setup(Level.Trial)
        public void setUp(Shared shared) throws GeneralSecurityException {
            shared.random.nextBytes(value);
            path = "logical/bench/" + Thread.currentThread().threadId();
            aad = path.getBytes(StandardCharsets.UTF_8);
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            key = new SecretKeySpec(shared.key, "AES");
        }
    }

    @Benchmark
    public byte[] barrierPutGet(Shared shared, PerThread t) {
        shared.barrier.put(t.path, t.value);
        return shared.barrier.get(t.path).orElseThrow();
    }

    @Benchmark
    public byte[] rawJcaEncryptDecrypt(Shared shared, PerThread t) throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        shared.random.nextBytes(nonce);
        t.cipher.init(Cipher.ENCRYPT_MODE, t.key, new GCMParameterSpec(128, nonce));
        t.cipher.updateAAD(t.aad);
        byte[] ciphertext = t.cipher.doFinal(t.value);
        t.cipher.init(Cipher.DECRYPT_MODE, t.key, new GCMParameterSpec(128, nonce));
        t.cipher.updateAAD(t.aad);
        return t.cipher.doFinal(ciphertext);
    }

    /** Map storage, so the benchmark measures crypto and barrier overhead rather than a database. */
    static final class MapStorage implements StorageBackend {
        private final ConcurrentHashMap<String, byte[]> entries = new ConcurrentHashMap<>();

        @Override
        public Optional<byte[]> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        @Override
        public void put(String key, byte[] value) {
            entries.put(key, value);
        }

        @Override
        public void delete(String key) {
            entries.remove(key);
        }

        @Override
        public List<String> list(String prefix) {
            return new ArrayList<>();
        }
    }
}
