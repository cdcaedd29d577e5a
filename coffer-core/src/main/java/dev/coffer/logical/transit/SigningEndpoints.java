package dev.coffer.logical.transit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code hmac/}, {@code sign/} and {@code verify/} (which checks either an HMAC or a signature). */
final class SigningEndpoints {
    private final PolicyStore store;

    SigningEndpoints(PolicyStore store) {
        this.store = store;
    }

    LogicalResponse hmac(LogicalRequest req, String name, String urlAlgorithm) {
        KeyPolicy p = store.rotateIfDue(store.require(name));
        HashAlgorithm alg = algorithm(req, urlAlgorithm, "algorithm");
        int requested = Fields.integer(req.data(), "key_version", 0);
        return Batch.run(req, item -> {
            int version = p.encryptionVersion(Fields.integer(item, "key_version", requested));
            byte[] mac = mac(alg, p.version(version), input(item));
            return obj().put("hmac", VersionedValue.encode(version, mac)).put("key_version", version);
        });
    }

    LogicalResponse sign(LogicalRequest req, String name, String urlAlgorithm) {
        KeyPolicy p = store.rotateIfDue(store.require(name));
        requireSigning(p);
        Signer.Options o = options(req, p, urlAlgorithm);
        int requested = Fields.integer(req.data(), "key_version", 0);
        return Batch.run(req, item -> {
            int version = p.encryptionVersion(Fields.integer(item, "key_version", requested));
            byte[] sig = Signer.sign(p.type(), p.version(version), input(item), o);
            return obj().put("signature", VersionedValue.encode(version, sig)).put("key_version", version);
        });
    }

    LogicalResponse verify(LogicalRequest req, String name, String urlAlgorithm) {
        KeyPolicy p = store.require(name);
        boolean anyHmac = req.data().hasNonNull("hmac") || firstItemHas(req, "hmac");
        Signer.Options o = anyHmac ? null : options(req, p, urlAlgorithm);
        HashAlgorithm macAlg = anyHmac ? algorithm(req, urlAlgorithm, "algorithm") : null;
        return Batch.run(req, item -> {
            String hmac = Fields.string(item, "hmac");
            String signature = Fields.string(item, "signature");
            if ((hmac == null) == (signature == null)) {
                throw new CofferException.BadRequest("give exactly one of \"hmac\" or \"signature\" to verify");
            }
            byte[] input = input(item);
            if (hmac != null) {
                VersionedValue v = VersionedValue.parse(hmac, "hmac");
                byte[] expected = mac(macAlg == null ? HashAlgorithm.SHA2_256 : macAlg, p.decryptionVersion(v.version()), input);
                return obj().put("valid", MessageDigest.isEqual(expected, v.bytes()));
            }
            requireSigning(p);
            VersionedValue v = VersionedValue.parse(signature, "signature");
            boolean ok = Signer.verify(p.type(), p.decryptionVersion(v.version()), input, v.bytes(), o);
            return obj().put("valid", ok);
        });
    }

    private static Signer.Options options(LogicalRequest req, KeyPolicy p, String urlAlgorithm) {
        JsonNode b = req.data();
        HashAlgorithm hash = algorithm(req, urlAlgorithm, "hash_algorithm");
        String sigAlg = java.util.Objects.requireNonNullElse(Fields.string(b, "signature_algorithm"), "pss");
        if (p.type().family() == KeyType.Family.RSA && !sigAlg.equals("pss") && !sigAlg.equals("pkcs1v15")) {
            throw new CofferException.BadRequest("signature_algorithm must be \"pss\" or \"pkcs1v15\"");
        }
        String marshaling = java.util.Objects.requireNonNullElse(Fields.string(b, "marshaling_algorithm"), "asn1");
        if (!marshaling.equals("asn1") && !marshaling.equals("jws")) {
            throw new CofferException.BadRequest("marshaling_algorithm must be \"asn1\" or \"jws\"");
        }
        String salt = java.util.Objects.requireNonNullElse(Fields.string(b, "salt_length"), "auto");
        if (!salt.equals("auto") && !salt.equals("hash") && !salt.matches("\\d{1,4}")) {
            throw new CofferException.BadRequest("salt_length must be \"auto\", \"hash\" or a number of bytes");
        }
        boolean prehashed = Fields.bool(b, "prehashed", false);
        if (prehashed && p.type() == KeyType.ED25519) {
            throw new CofferException.BadRequest("prehashed input is not supported for ed25519 keys; send the message");
        }
        return new Signer.Options(hash, prehashed, sigAlg, marshaling.equals("jws"), salt);
    }

    private static HashAlgorithm algorithm(LogicalRequest req, String urlAlgorithm, String field) {
        String fromBody = Fields.string(req.data(), field);
        return HashAlgorithm.parse(urlAlgorithm != null ? urlAlgorithm : fromBody, HashAlgorithm.SHA2_256);
    }

    static byte[] mac(HashAlgorithm alg, KeyVersion kv, byte[] input) {
        try {
            Mac mac = Mac.getInstance(alg.hmacName());
            mac.init(new SecretKeySpec(kv.secretHmacKey(), alg.hmacName()));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new CofferException.Internal(alg.hmacName() + " is unavailable in this JVM", e);
        }
    }

    private static byte[] input(JsonNode item) {
        byte[] input = Fields.base64(item, "input");
        if (input == null && !item.has("input")) {
            throw new CofferException.BadRequest("missing \"input\"; give the data base64-encoded");
        }
        return input == null ? new byte[0] : input;
    }

    private static void requireSigning(KeyPolicy p) {
        if (!p.type().supportsSigning()) {
            throw new CofferException.BadRequest("key \"" + p.name() + "\" is of type " + p.type().apiName() + ", which "
                    + "does not support signing; use an ed25519, ecdsa-* or rsa-* key (or hmac/ for a MAC)");
        }
    }

    private static boolean firstItemHas(LogicalRequest req, String field) {
        JsonNode items = req.field("batch_input");
        return items != null && items.isArray() && !items.isEmpty() && items.get(0).hasNonNull(field);
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }
}
