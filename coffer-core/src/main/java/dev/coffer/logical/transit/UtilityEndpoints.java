package dev.coffer.logical.transit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** {@code hash(/:algorithm)} and {@code random(/:source)(/:bytes)}; neither uses a key. */
final class UtilityEndpoints {
    static final int MAX_RANDOM_BYTES = 128 * 1024;

    private final SecureRandom random;

    UtilityEndpoints(SecureRandom random) {
        this.random = random;
    }

    LogicalResponse hash(LogicalRequest req, String urlAlgorithm) {
        String bodyAlgorithm = Fields.string(req.data(), "algorithm");
        HashAlgorithm alg = HashAlgorithm.parse(urlAlgorithm != null ? urlAlgorithm : bodyAlgorithm, HashAlgorithm.SHA2_256);
        byte[] input = Fields.base64(req.data(), "input");
        if (input == null && !req.data().has("input")) {
            throw new CofferException.BadRequest("missing \"input\"; give the data to hash base64-encoded");
        }
        String format = format(req, null, "hex");
        byte[] sum = alg.digest(input == null ? new byte[0] : input);
        return LogicalResponse.ok(obj().put("sum", encode(sum, format)));
    }

    /** {@code segments} are what followed {@code random/}: a source name, a byte count and/or a format, in any order. */
    LogicalResponse random(LogicalRequest req, List<String> segments) {
        Integer bytes = null;
        String format = null;
        for (String s : segments) {
            if (s.matches("\\d+")) {
                bytes = Integer.parseInt(s);
            } else if (s.equals("hex") || s.equals("base64")) {
                format = s;
            } else if (!s.equals("platform") && !s.equals("all") && !s.equals("seal")) {
                throw new CofferException.BadRequest("unknown random/ path segment \"" + s + "\"; expected a source "
                        + "(platform, seal, all), a byte count or a format (hex, base64)");
            }
        }
        int n = bytes != null ? bytes : Fields.integer(req.data(), "bytes", 32);
        if (n < 1 || n > MAX_RANDOM_BYTES) {
            throw new CofferException.BadRequest("bytes must be between 1 and " + MAX_RANDOM_BYTES);
        }
        byte[] out = new byte[n];
        random.nextBytes(out);
        return LogicalResponse.ok(obj().put("random_bytes", encode(out, format(req, format, "base64"))));
    }

    private static String format(LogicalRequest req, String fromPath, String fallback) {
        String f = fromPath != null ? fromPath : Fields.string(req.data(), "format");
        if (f == null || f.isEmpty()) {
            return fallback;
        }
        if (!f.equals("hex") && !f.equals("base64")) {
            throw new CofferException.BadRequest("format must be \"hex\" or \"base64\"");
        }
        return f;
    }

    private static String encode(byte[] b, String format) {
        return format.equals("hex") ? HexFormat.of().formatHex(b) : Base64.getEncoder().encodeToString(b);
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }
}
