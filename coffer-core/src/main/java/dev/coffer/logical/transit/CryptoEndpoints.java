package dev.coffer.logical.transit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

/** {@code encrypt/}, {@code decrypt/}, {@code rewrap/} and {@code datakey/}. */
final class CryptoEndpoints {
    private final PolicyStore store;
    private final SecureRandom random;

    CryptoEndpoints(PolicyStore store, SecureRandom random) {
        this.store = store;
        this.random = random;
    }

    /** Encrypt; on a CREATE (the key did not exist and the token may create) the key is made first, as Vault does. */
    LogicalResponse encrypt(LogicalRequest req, String name) {
        KeyPolicy p = req.operation() == Operation.CREATE ? upsert(req, name) : store.require(name);
        KeyPolicy current = store.rotateIfDue(p);
        int requested = Fields.integer(req.data(), "key_version", 0);
        Nonces nonces = new Nonces(random, Batch.size(req));
        return Batch.run(req, item -> {
            String text = Fields.string(item, "plaintext");
            if (text == null && !item.has("plaintext")) {
                throw new CofferException.BadRequest("missing plaintext to encrypt; give it base64-encoded in \"plaintext\"");
            }
            SealBuffer plaintext = SealBuffer.fromBase64(text, "plaintext");
            try {
                int version = current.encryptionVersion(Fields.integer(item, "key_version", requested));
                byte[] ct = Encryptor.encrypt(current, current.version(version), plaintext, context(item, req), nonces);
                return result().put("ciphertext", VersionedValue.encode(version, ct)).put("key_version", version);
            } finally {
                plaintext.wipe();
            }
        });
    }

    LogicalResponse decrypt(LogicalRequest req, String name) {
        KeyPolicy p = store.require(name);
        return Batch.run(req, item -> {
            byte[] plaintext = open(p, item, req);
            try {
                return result().put("plaintext", Base64.getEncoder().encodeToString(plaintext));
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        });
    }

    LogicalResponse rewrap(LogicalRequest req, String name) {
        KeyPolicy p = store.rotateIfDue(store.require(name));
        int requested = Fields.integer(req.data(), "key_version", 0);
        Nonces nonces = new Nonces(random, Batch.size(req));
        return Batch.run(req, item -> {
            byte[] plaintext = open(p, item, req);
            try {
                int version = p.encryptionVersion(Fields.integer(item, "key_version", requested));
                byte[] ct = Encryptor.encrypt(p, p.version(version), plaintext, context(item, req), nonces);
                return result().put("ciphertext", VersionedValue.encode(version, ct)).put("key_version", version);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        });
    }

    LogicalResponse datakey(LogicalRequest req, String kind, String name) {
        if (!kind.equals("plaintext") && !kind.equals("wrapped")) {
            throw new CofferException.BadRequest("datakey type must be \"plaintext\" or \"wrapped\", got \"" + kind + "\"");
        }
        int bits = Fields.integer(req.data(), "bits", 256);
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new CofferException.BadRequest("bits must be 128, 256 or 512");
        }
        KeyPolicy p = store.rotateIfDue(store.require(name));
        int version = p.encryptionVersion(Fields.integer(req.data(), "key_version", 0));
        byte[] dataKey = new byte[bits / 8];
        random.nextBytes(dataKey);
        try {
            byte[] ct = Encryptor.encrypt(p, p.version(version), dataKey, context(req.data(), req), new Nonces(random, 1));
            ObjectNode out = result().put("ciphertext", VersionedValue.encode(version, ct)).put("key_version", version);
            if (kind.equals("plaintext")) {
                out.put("plaintext", Base64.getEncoder().encodeToString(dataKey));
            }
            return LogicalResponse.ok(out);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private byte[] open(KeyPolicy p, JsonNode item, LogicalRequest req) {
        VersionedValue v = VersionedValue.parse(Fields.string(item, "ciphertext"), "ciphertext");
        return Encryptor.decrypt(p, p.decryptionVersion(v.version()), v.bytes(), context(item, req));
    }

    /** The item's context, falling back to the request's top-level context. */
    private static byte[] context(JsonNode item, LogicalRequest req) {
        byte[] c = Fields.base64(item, "context");
        return c != null || item == req.data() ? c : Fields.base64(req.data(), "context");
    }

    private KeyPolicy upsert(LogicalRequest req, String name) {
        KeyType type = KeyType.parse(java.util.Objects.requireNonNullElse(Fields.string(req.data(), "type"), "aes256-gcm96"));
        boolean derived = Fields.base64(req.data(), "context") != null || firstItemHasContext(req);
        boolean convergent = Fields.bool(req.data(), "convergent_encryption", false);
        return store.createIfAbsent(name, KeyEndpoints.template(name, type, derived, convergent, false, false,
                Duration.ZERO));
    }

    private static boolean firstItemHasContext(LogicalRequest req) {
        JsonNode items = req.field("batch_input");
        return items != null && items.isArray() && !items.isEmpty() && items.get(0).hasNonNull("context")
                && !items.get(0).get("context").asText().isEmpty();
    }

    private static ObjectNode result() {
        return JsonNodeFactory.instance.objectNode();
    }
}
