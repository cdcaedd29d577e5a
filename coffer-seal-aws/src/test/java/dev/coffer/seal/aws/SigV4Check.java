package dev.coffer.seal.aws;

import com.sun.net.httpserver.HttpExchange;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies an AWS Signature Version 4 {@code Authorization} header the way the service does: parse the
 * credential scope, rebuild the canonical request from the signed headers and the body, derive the signing
 * key from the secret key and compare signatures. Written from the public SigV4 description.
 */
final class SigV4Check {

    private static final Pattern HEADER = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");

    /** The parsed header; null fields when it does not parse. */
    record Parsed(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
                  String signature) {
    }

    private SigV4Check() {
    }

    static Parsed parse(String authorization) {
        if (authorization == null) {
            return null;
        }
        Matcher m = HEADER.matcher(authorization);
        if (!m.matches()) {
            return null;
        }
        return new Parsed(m.group(1), m.group(2), m.group(3), m.group(4), List.of(m.group(5).split(";")), m.group(6));
    }

    static boolean verify(HttpExchange exchange, byte[] body, Parsed auth, String secretKey) throws GeneralSecurityException {
        String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        if (amzDate == null || !amzDate.startsWith(auth.date())) {
            return false;
        }
        StringBuilder canonical = new StringBuilder();
        canonical.append(exchange.getRequestMethod()).append('\n');
        String path = exchange.getRequestURI().getRawPath();
        canonical.append(path == null || path.isEmpty() ? "/" : path).append('\n');
        String query = exchange.getRequestURI().getRawQuery();
        canonical.append(query == null ? "" : query).append('\n');
        for (String name : auth.signedHeaders()) {
            List<String> values = exchange.getRequestHeaders().get(name);
            if (values == null) {
                return false;
            }
            canonical.append(name.toLowerCase(Locale.ROOT)).append(':')
                    .append(String.join(",", values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList()))
                    .append('\n');
        }
        canonical.append('\n').append(String.join(";", auth.signedHeaders())).append('\n');
        canonical.append(hex(sha256(body)));

        String scope = auth.date() + "/" + auth.region() + "/" + auth.service() + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), auth.date());
        key = hmac(key, auth.region());
        key = hmac(key, auth.service());
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, toSign));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.signature().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
