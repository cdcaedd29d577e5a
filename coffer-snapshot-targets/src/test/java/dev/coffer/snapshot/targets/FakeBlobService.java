package dev.coffer.snapshot.targets;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.coffer.seal.azure.AzureFakeForTests.TokenGrant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * A small, wire-faithful fake of the Azure Blob service REST API (plain HTTP, path-style URLs like Azurite:
 * {@code http://127.0.0.1:PORT/ACCOUNT/CONTAINER/BLOB}). It verifies Shared Key authorization in full: it
 * rebuilds the canonical string-to-sign (verb, standard headers, sorted {@code x-ms-*} headers, canonicalized
 * resource with sorted query parameters) and compares the HMAC-SHA256 with the account key. Implemented: Create
 * Container, Put Blob, Put Block, Put Block List, List Blobs (prefix, maxresults, marker), Get Blob, Delete Blob,
 * and the service's XML errors (ContainerNotFound, BlobNotFound, AuthenticationFailed, ...).
 *
 * <p>The second mode is Entra ID (OAuth) authorization on https, as the SDK sends bearer tokens only over TLS: the
 * {@code Authorization: Bearer} token must be one the token fake issued ({@code tokens}) for {@link #audience} in
 * {@link #tenant}, else 401 {@code InvalidAuthenticationInfo} with the service's challenge ({@code WWW-Authenticate:
 * Bearer authorization_uri=... resource_id=...}); a valid token of a client id not in {@link #contributors} (the
 * role "Storage Blob Data Contributor") gets 403 {@code AuthorizationPermissionMismatch}.
 */
final class FakeBlobService implements AutoCloseable {
    static final DateTimeFormatter RFC1123 = DateTimeFormatter.RFC_1123_DATE_TIME;

    record Blob(byte[] data, String contentType, String etag, ZonedDateTime lastModified) {
    }

    /** One request as the fake saw it, for assertions on what the SDK sent. */
    record Seen(String method, String path, String query, String authorization) {
    }

    private final String account;
    private final byte[] key;
    private final Function<String, TokenGrant> tokens;
    private final HttpServer server;
    /** Bearer mode: the token audience the account accepts (Azure accepts it with or without the final "/"). */
    volatile String audience = "https://storage.azure.com/";
    /** Bearer mode: the tenant the storage account belongs to. */
    volatile String tenant;
    /** Bearer mode: client ids holding "Storage Blob Data Contributor" on the account. */
    final Set<String> contributors = ConcurrentHashMap.newKeySet();
    private final Map<String, NavigableMap<String, Blob>> containers = new ConcurrentHashMap<>();
    private final Map<String, byte[]> uncommittedBlocks = new ConcurrentHashMap<>();
    private final AtomicLong etags = new AtomicLong(0x8D0000000000000L);
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    /** The most names one List Blobs page holds (the service's cap is 5000); tests lower it to see NextMarker. */
    volatile int pageSize = 5000;

    /** Shared Key on plain http. */
    FakeBlobService(String account, String base64Key) throws IOException {
        this.account = account;
        this.key = Base64.getDecoder().decode(base64Key);
        this.tokens = null;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Entra ID bearer tokens on https; {@code tokens} says what a token was issued for (null: never issued). */
    FakeBlobService(String account, String tenant, SSLContext tls, Function<String, TokenGrant> tokens) throws IOException {
        this.account = account;
        this.key = null;
        this.tenant = tenant;
        this.tokens = tokens;
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
        server.createContext("/", this::handle);
        server.start();
    }

    /** The {@code endpoint} attribute for the target: the account's path-style base URL. */
    String endpoint() {
        return (tokens == null ? "http" : "https") + "://127.0.0.1:" + server.getAddress().getPort() + "/" + account;
    }

    void createContainer(String name) {
        containers.putIfAbsent(name, new ConcurrentSkipListMap<>());
    }

    void putBlob(String container, String name, byte[] data) {
        containers.get(container).put(name, new Blob(data, "application/octet-stream", newEtag(), now()));
    }

    List<String> names(String container) {
        return List.copyOf(containers.get(container).keySet());
    }

    Blob blob(String container, String name) {
        return containers.get(container).get(name);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private String newEtag() {
        return "\"0x" + Long.toHexString(etags.incrementAndGet()).toUpperCase(Locale.ROOT) + "\"";
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
    }

    // ---- request handling

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String rawPath = ex.getRequestURI().getRawPath();
            String rawQuery = ex.getRequestURI().getRawQuery();
            Map<String, List<String>> query = parseQuery(rawQuery);
            requests.add(new Seen(ex.getRequestMethod(), rawPath, rawQuery, ex.getRequestHeaders().getFirst("Authorization")));

            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null) {
                error(ex, 401, "NoAuthenticationInformation", "Server failed to authenticate the request. Please refer "
                        + "to the information in the www-authenticate header.");
                return;
            }
            if (tokens != null) {
                if (!bearerAllowed(ex, auth)) {
                    return;
                }
            } else if (!MessageDigest.isEqual(("SharedKey " + account + ":" + sign(ex, rawPath, query))
                    .getBytes(StandardCharsets.UTF_8), auth.getBytes(StandardCharsets.UTF_8))) {
                error(ex, 403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value "
                        + "of Authorization header is formed correctly including the signature.");
                return;
            }

            // /ACCOUNT/CONTAINER[/BLOB...]
            String[] parts = rawPath.split("/", 4);
            if (parts.length < 3 || !parts[1].equals(account) || parts[2].isEmpty()) {
                error(ex, 400, "InvalidUri", "The requested URI does not represent any resource on the server.");
                return;
            }
            String containerName = parts[2];
            String blobName = parts.length == 4 ? URLDecoder.decode(parts[3].replace("+", "%2B"), StandardCharsets.UTF_8) : null;
            String restype = first(query, "restype");
            String comp = first(query, "comp");
            String method = ex.getRequestMethod();

            if (blobName == null && "container".equals(restype)) {
                if (method.equals("PUT") && comp == null) {
                    if (containers.putIfAbsent(containerName, new ConcurrentSkipListMap<>()) != null) {
                        error(ex, 409, "ContainerAlreadyExists", "The specified container already exists.");
                    } else {
                        ok(ex, 201, Map.of("ETag", newEtag(), "Last-Modified", RFC1123.format(now())), null);
                    }
                    return;
                }
                if (method.equals("GET") && "list".equals(comp)) {
                    listBlobs(ex, containerName, query);
                    return;
                }
            }
            NavigableMap<String, Blob> blobs = containers.get(containerName);
            if (blobs == null) {
                error(ex, 404, "ContainerNotFound", "The specified container does not exist.");
                return;
            }
            if (blobName == null) {
                error(ex, 400, "UnsupportedHttpVerb", "The resource doesn't support specified Http Verb.");
                return;
            }
            Headers h = ex.getRequestHeaders();
            switch (method) {
                case "PUT" -> {
                    if ("block".equals(comp)) {
                        uncommittedBlocks.put(containerName + "/" + blobName + "#" + first(query, "blockid"), body);
                        ok(ex, 201, Map.of(), null);
                    } else if ("blocklist".equals(comp)) {
                        ByteArrayOutputStream all = new ByteArrayOutputStream();
                        Matcher m = Pattern.compile("<(Latest|Uncommitted)>([^<]*)</\\1>")
                                .matcher(new String(body, StandardCharsets.UTF_8));
                        while (m.find()) {
                            byte[] block = uncommittedBlocks.remove(containerName + "/" + blobName + "#" + m.group(2));
                            if (block == null) {
                                error(ex, 400, "InvalidBlockList", "The specified block list is invalid.");
                                return;
                            }
                            all.writeBytes(block);
                        }
                        store(ex, blobs, blobName, all.toByteArray(), h.getFirst("x-ms-blob-content-type"));
                    } else if (comp == null) {
                        if (!"BlockBlob".equals(h.getFirst("x-ms-blob-type"))) {
                            error(ex, 400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is "
                                    + "not specified.");
                            return;
                        }
                        if ("*".equals(h.getFirst("If-None-Match")) && blobs.containsKey(blobName)) {
                            error(ex, 409, "BlobAlreadyExists", "The specified blob already exists.");
                            return;
                        }
                        store(ex, blobs, blobName, body, h.getFirst("x-ms-blob-content-type"));
                    } else {
                        error(ex, 400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in "
                                + "the request URI is invalid.");
                    }
                }
                case "GET", "HEAD" -> {
                    Blob b = blobs.get(blobName);
                    if (b == null) {
                        error(ex, 404, "BlobNotFound", "The specified blob does not exist.");
                        return;
                    }
                    ok(ex, 200, Map.of("ETag", b.etag(), "Last-Modified", RFC1123.format(b.lastModified()),
                            "Content-Type", b.contentType(), "x-ms-blob-type", "BlockBlob"),
                            method.equals("GET") ? b.data() : null);
                }
                case "DELETE" -> {
                    if (blobs.remove(blobName) == null) {
                        error(ex, 404, "BlobNotFound", "The specified blob does not exist.");
                        return;
                    }
                    ok(ex, 202, Map.of("x-ms-delete-type-permanent", "true"), null);
                }
                default -> error(ex, 400, "UnsupportedHttpVerb", "The resource doesn't support specified Http Verb.");
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    /** Azure's checks on an OAuth request, in its order: a valid token for this audience and tenant, then the role. */
    private boolean bearerAllowed(HttpExchange ex, String auth) throws IOException {
        String token = auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
        TokenGrant grant = token == null ? null : tokens.apply(token);
        String detail = null;
        if (grant == null) {
            detail = "Signature validation failed. Signature is invalid.";
        } else if (!stripSlash(String.valueOf(grant.resource())).equals(stripSlash(audience))) {
            detail = "Audience validation failed. Audience did not match.";
        } else if (!grant.tenant().equals(tenant)) {
            detail = "Issuer validation failed. Issuer did not match.";
        }
        if (detail != null) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer authorization_uri=https://login.microsoftonline.com/"
                    + tenant + "/oauth2/authorize resource_id=" + stripSlash(audience));
            error(ex, 401, "InvalidAuthenticationInfo", "Server failed to authenticate the request. Please refer to the "
                    + "information in the www-authenticate header.", detail);
            return false;
        }
        if (!contributors.contains(grant.clientId())) {
            error(ex, 403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation "
                    + "using this permission.");
            return false;
        }
        return true;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private void store(HttpExchange ex, NavigableMap<String, Blob> blobs, String name, byte[] data, String type)
            throws IOException {
        Blob b = new Blob(data, type == null ? "application/octet-stream" : type, newEtag(), now());
        blobs.put(name, b);
        String md5;
        try {
            md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ok(ex, 201, Map.of("ETag", b.etag(), "Last-Modified", RFC1123.format(b.lastModified()), "Content-MD5", md5,
                "x-ms-request-server-encrypted", "true"), null);
    }

    private void listBlobs(HttpExchange ex, String containerName, Map<String, List<String>> query) throws IOException {
        NavigableMap<String, Blob> blobs = containers.get(containerName);
        if (blobs == null) {
            error(ex, 404, "ContainerNotFound", "The specified container does not exist.");
            return;
        }
        String prefix = first(query, "prefix") == null ? "" : first(query, "prefix");
        String marker = first(query, "marker");
        int max = Math.min(pageSize, first(query, "maxresults") == null ? 5000 : Integer.parseInt(first(query, "maxresults")));
        List<Map.Entry<String, Blob>> hits = new ArrayList<>();
        for (Map.Entry<String, Blob> e : (marker == null ? blobs : blobs.tailMap(marker, true)).entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                hits.add(e);
            }
        }
        String next = hits.size() > max ? hits.get(max).getKey() : null;
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        x.append("<EnumerationResults ServiceEndpoint=\"").append(esc(endpoint())).append("/\" ContainerName=\"")
                .append(esc(containerName)).append("\">");
        if (!prefix.isEmpty()) {
            x.append("<Prefix>").append(esc(prefix)).append("</Prefix>");
        }
        if (marker != null) {
            x.append("<Marker>").append(esc(marker)).append("</Marker>");
        }
        if (first(query, "maxresults") != null) {
            x.append("<MaxResults>").append(max).append("</MaxResults>");
        }
        x.append("<Blobs>");
        for (Map.Entry<String, Blob> e : hits.subList(0, Math.min(max, hits.size()))) {
            Blob b = e.getValue();
            x.append("<Blob><Name>").append(esc(e.getKey())).append("</Name><Properties>")
                    .append("<Creation-Time>").append(RFC1123.format(b.lastModified())).append("</Creation-Time>")
                    .append("<Last-Modified>").append(RFC1123.format(b.lastModified())).append("</Last-Modified>")
                    .append("<Etag>").append(b.etag().replace("\"", "")).append("</Etag>")
                    .append("<Content-Length>").append(b.data().length).append("</Content-Length>")
                    .append("<Content-Type>").append(esc(b.contentType())).append("</Content-Type>")
                    .append("<BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true"
                            + "</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>"
                            + "<ServerEncrypted>true</ServerEncrypted></Properties><OrMetadata /></Blob>");
        }
        x.append("</Blobs>");
        x.append(next == null ? "<NextMarker />" : "<NextMarker>" + esc(next) + "</NextMarker>");
        x.append("</EnumerationResults>");
        ok(ex, 200, Map.of("Content-Type", "application/xml"), x.toString().getBytes(StandardCharsets.UTF_8));
    }

    // ---- Shared Key (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key)

    private String sign(HttpExchange ex, String rawPath, Map<String, List<String>> query) {
        Headers h = ex.getRequestHeaders();
        String contentLength = header(h, "Content-Length");
        if (contentLength.equals("0")) {
            contentLength = ""; // from version 2015-02-21: empty when zero
        }
        StringBuilder s = new StringBuilder()
                .append(ex.getRequestMethod()).append('\n')
                .append(header(h, "Content-Encoding")).append('\n')
                .append(header(h, "Content-Language")).append('\n')
                .append(contentLength).append('\n')
                .append(header(h, "Content-MD5")).append('\n')
                .append(header(h, "Content-Type")).append('\n')
                .append(header(h, "Date")).append('\n')
                .append(header(h, "If-Modified-Since")).append('\n')
                .append(header(h, "If-Match")).append('\n')
                .append(header(h, "If-None-Match")).append('\n')
                .append(header(h, "If-Unmodified-Since")).append('\n')
                .append(header(h, "Range")).append('\n');
        TreeMap<String, String> msHeaders = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : h.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-ms-")) {
                msHeaders.put(name, String.join(",", e.getValue()).trim());
            }
        }
        msHeaders.forEach((k, v) -> s.append(k).append(':').append(v).append('\n'));
        s.append('/').append(account).append(rawPath);
        new TreeMap<>(query).forEach((k, v) -> s.append('\n').append(k).append(':')
                .append(String.join(",", v.stream().sorted().toList())));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(Headers h, String name) {
        String v = h.getFirst(name);
        return v == null ? "" : v;
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> q = new TreeMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return q;
    }

    private static String first(Map<String, List<String>> q, String k) {
        List<String> v = q.get(k);
        return v == null ? null : v.get(0);
    }

    // ---- responses

    private static void ok(HttpExchange ex, int status, Map<String, String> headers, byte[] body) throws IOException {
        Headers rh = ex.getResponseHeaders();
        headers.forEach(rh::set);
        common(ex);
        ex.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        error(ex, status, code, message, null);
    }

    private static void error(HttpExchange ex, int status, String code, String message, String authDetail)
            throws IOException {
        String requestId = UUID.randomUUID().toString();
        byte[] body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>" + esc(message)
                + "\nRequestId:" + requestId + "\nTime:" + DateTimeFormatter.ISO_INSTANT.format(java.time.Instant.now())
                + "</Message>" + (authDetail == null ? "" : "<AuthenticationErrorDetail>" + esc(authDetail)
                + "</AuthenticationErrorDetail>") + "</Error>").getBytes(StandardCharsets.UTF_8);
        Headers rh = ex.getResponseHeaders();
        rh.set("x-ms-error-code", code);
        rh.set("Content-Type", "application/xml");
        common(ex);
        ex.sendResponseHeaders(status, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
        if (!ex.getRequestMethod().equals("HEAD")) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void common(HttpExchange ex) {
        Headers rh = ex.getResponseHeaders();
        rh.set("x-ms-request-id", UUID.randomUUID().toString());
        rh.set("x-ms-version", "2026-02-06");
        rh.set("Date", RFC1123.format(now()));
        String clientRequestId = ex.getRequestHeaders().getFirst("x-ms-client-request-id");
        if (clientRequestId != null) {
            rh.set("x-ms-client-request-id", clientRequestId);
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
