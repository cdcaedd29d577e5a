package dev.coffer.seal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Base64;

/**
 * Stores a {@link BlobInfo} as compact JSON, e.g. at {@code core/hsm/barrier-unseal-keys}:
 * {@code {"v":1,"type":"shamir","mechanism":"aes-256-gcm","key_id":"..","iv":"b64","wrapped_key":"b64","ciphertext":"b64"}}.
 * The version field lets a later format be told apart from this one instead of being misread.
 */
public final class BlobCodec {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private BlobCodec() {
    }

    public static byte[] encode(BlobInfo blob) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("type", blob.wrapperType());
        node.put("mechanism", blob.mechanism());
        node.put("key_id", blob.keyId());
        node.put("iv", Base64.getEncoder().encodeToString(blob.iv()));
        node.put("wrapped_key", Base64.getEncoder().encodeToString(blob.wrappedKey()));
        node.put("ciphertext", Base64.getEncoder().encodeToString(blob.ciphertext()));
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("serializing a JSON tree to bytes cannot fail", e);
        }
    }

    /** @throws SealException with {@link SealException.Reason#INTEGRITY} when the bytes are not such a blob */
    public static BlobInfo decode(byte[] bytes) throws SealException {
        JsonNode node;
        try {
            node = bytes == null ? null : JSON.readTree(bytes);
        } catch (IOException e) {
            throw corrupt("it is not JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw corrupt("it is not a JSON object", null);
        }
        JsonNode version = node.get("v");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            throw corrupt("unsupported blob version " + version + " (this build reads version " + VERSION + ")", null);
        }
        try {
            return new BlobInfo(text(node, "type"), text(node, "mechanism"), text(node, "key_id"),
                    base64(node, "iv"), base64(node, "wrapped_key"), base64(node, "ciphertext"));
        } catch (IllegalArgumentException e) {
            throw corrupt(e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
        }
        return value.textValue();
    }

    private static byte[] base64(JsonNode node, String field) {
        String value = text(node, field);
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + field + "' is not valid base64", e);
        }
    }

    private static SealException corrupt(String why, Throwable cause) {
        return new SealException(SealException.Reason.INTEGRITY,
                "the stored seal blob cannot be read: " + why + "; the storage entry is corrupt or was not written by Coffer",
                cause);
    }
}
