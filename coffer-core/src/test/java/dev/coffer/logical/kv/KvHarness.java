package dev.coffer.logical.kv;

import dev.coffer.testing.MutableClock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.barrier.AesGcmBarrier;
import dev.coffer.barrier.BarrierView;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.StorageBackend;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/** A dev-mode core (KV v2 at secret/) driven through {@link Core#handle}, with a clock tests move by hand. */
final class KvHarness implements AutoCloseable {
    static final ObjectMapper M = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final Core core;
    final String token;

    KvHarness() {
        this(new InmemBackend());
    }

    KvHarness(StorageBackend storage) {
        core = new Core(new CoreOptions(storage, "inmem", null, null, null, null, null, clock, null, null));
        token = core.devInit("root").rootToken();
    }

    LogicalResponse call(Operation op, String path, String json) {
        ObjectNode body = json == null ? M.createObjectNode() : (ObjectNode) read(json);
        return core.handle(new LogicalRequest("test", op, path, null, null, body, token, null, "127.0.0.1", Map.of()));
    }

    LogicalResponse put(String path, String json) {
        return call(Operation.UPDATE, path, json);
    }

    LogicalResponse get(String path) {
        return call(Operation.READ, path, null);
    }

    /** A KV mount's view ({@code logical/kv/}) behind a freshly initialized, unsealed barrier on {@code storage}. */
    static BarrierView unsealedView(StorageBackend storage) {
        AesGcmBarrier barrier = new AesGcmBarrier(storage);
        byte[] root = new byte[32];
        new SecureRandom().nextBytes(root);
        barrier.initialize(root);
        barrier.unseal(root);
        return new BarrierView(barrier, "logical/kv/");
    }

    static JsonNode read(String json) {
        try {
            return M.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        core.close();
    }
}
