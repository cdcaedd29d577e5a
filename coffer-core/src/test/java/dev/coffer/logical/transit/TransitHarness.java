package dev.coffer.logical.transit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.logical.BackendFactory;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.storage.InmemBackend;
import dev.coffer.storage.StorageBackend;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** An unsealed dev core with transit mounted at {@code transit/}; requests go through {@link Core#handle}. */
final class TransitHarness implements AutoCloseable {
    static final ObjectMapper M = new ObjectMapper();

    final StorageBackend storage;
    final Core core;
    final String root;
    final byte[] unsealKey;

    TransitHarness() {
        this(new InmemBackend(), null);
    }

    private TransitHarness(StorageBackend storage, byte[] unsealKey) {
        this.storage = storage;
        this.core = new Core(CoreOptions.of(storage, "inmem"));
        if (unsealKey == null) {
            Core.DevInit init = core.devInit("root");
            this.root = init.rootToken();
            this.unsealKey = init.unsealKey();
            core.mounts().mount(BackendFactory.Kind.SECRET, "transit/", "transit", "", Map.of(), Map.of());
        } else {
            core.unseal(Base64.getEncoder().encodeToString(unsealKey));
            this.root = "root";
            this.unsealKey = unsealKey;
        }
    }

    /** A second core on the same storage, as after a restart (closes this one first). */
    TransitHarness restart() {
        core.close();
        return new TransitHarness(storage, unsealKey);
    }

    LogicalResponse call(Operation op, String path, String json) {
        ObjectNode body;
        try {
            body = json == null ? M.createObjectNode() : (ObjectNode) M.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
        return core.handle(new LogicalRequest("req", op, "transit/" + path, null, null, body, root, null, "127.0.0.1",
                Map.of()));
    }

    JsonNode write(String path, String json) {
        return call(Operation.UPDATE, path, json).data();
    }

    JsonNode read(String path) {
        return call(Operation.READ, path, null).data();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    String encrypt(String key, String plaintext) {
        return write("encrypt/" + key, "{\"plaintext\":\"" + b64(plaintext) + "\"}").get("ciphertext").asText();
    }

    String decrypt(String key, String ciphertext) {
        return unb64(write("decrypt/" + key, "{\"ciphertext\":\"" + ciphertext + "\"}").get("plaintext").asText());
    }

    @Override
    public void close() {
        core.close();
    }
}
