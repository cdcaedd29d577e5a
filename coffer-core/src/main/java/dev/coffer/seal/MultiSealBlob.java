package dev.coffer.seal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One secret wrapped once per seal of a {@link MultiSeal}: a {@link BlobInfo} of type {@value #TYPE} whose
 * ciphertext field holds the copies, each the {@link BlobCodec} document of one seal's wrap, keyed by the seal's
 * configured name and recording its type and key id. Nothing here is secret beyond what each copy protects.
 *
 * <p>A blob of any other type is the single-seal layout; it reads as one copy without a name, which the seal
 * of that type (the highest-priority one if several) claims. So storage written before multiseal keeps working.
 */
public final class MultiSealBlob {
    public static final String TYPE = "multiseal";
    static final String MECHANISM = "copies-v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One seal's wrap. {@code name} is empty for a single-seal blob (written before multiseal was enabled). */
    public record Copy(String name, String type, String keyId, BlobInfo blob) {
    }

    private MultiSealBlob() {
    }

    public static boolean isMulti(BlobInfo blob) {
        return TYPE.equals(blob.wrapperType());
    }

    /** The copies in a blob: several for a multiseal blob, one (unnamed) for a single-seal blob. */
    public static List<Copy> copies(BlobInfo blob) throws SealException {
        if (!isMulti(blob)) {
            return List.of(new Copy("", blob.wrapperType(), blob.keyId(), blob));
        }
        List<Copy> out = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(blob.ciphertext());
            for (JsonNode c : root.path("copies")) {
                BlobInfo inner = BlobCodec.decode(Base64.getDecoder().decode(c.path("blob").asText()));
                out.add(new Copy(c.path("name").asText(), inner.wrapperType(), inner.keyId(), inner));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new SealException(SealException.Reason.INTEGRITY, "the stored multiseal blob cannot be read ("
                    + e.getMessage() + "); the storage entry is corrupt or was not written by Coffer", e);
        }
        return out;
    }

    /** The copy a seal of this type can read when no name matches: for a single seal reading a multiseal blob. */
    public static Optional<Copy> copyOfType(BlobInfo blob, String type) throws SealException {
        return copies(blob).stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /** Builds the blob from copies (in the seals' priority order). */
    public static BlobInfo of(List<Copy> copies) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("copies");
        StringBuilder keyIds = new StringBuilder();
        for (Copy c : copies) {
            array.addObject().put("name", c.name()).put("type", c.type()).put("key_id", c.keyId())
                    .put("blob", Base64.getEncoder().encodeToString(BlobCodec.encode(c.blob())));
            keyIds.append(keyIds.isEmpty() ? "" : ",").append(c.name()).append('=').append(c.keyId());
        }
        try {
            return new BlobInfo(TYPE, MECHANISM, keyIds.toString(), null, null, JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new IllegalStateException("serializing a JSON tree to bytes cannot fail", e);
        }
    }
}
