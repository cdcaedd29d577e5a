package dev.coffer.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.logical.StreamingBody;
import dev.coffer.server.config.ForwardedForConfig;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns HTTP requests on {@code /v1/} into {@link ApiRequest}s, runs them through {@link ApiDispatcher} and
 * writes Vault-shaped JSON responses. Transport rules live here: body size limit (413), JSON parsing (400),
 * token headers, LIST as a verb or {@code ?list=true}. The binary routes of {@link RawBodyRoutes} get their body
 * unread and unlimited, and a response may be streamed instead of JSON.
 */
public final class ApiHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    static final HeaderName VAULT_TOKEN = HeaderNames.create("X-Vault-Token");
    static final HeaderName SERVED_BY = HeaderNames.create("X-Coffer-Node");
    static final HeaderName HA_GENERATION = HeaderNames.create("X-Coffer-Ha-Generation");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] EMPTY_JSON_ERRORS = "{\"errors\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final Core core;
    private final ApiDispatcher dispatcher;
    private final StandbyForwarder forwarder;
    private final long maxRequestSize;
    private final ForwardedForConfig forwardedFor;
    private final ForwardingProof proofs;

    public ApiHandler(Core core, String apiAddr, String clusterAddr, long maxRequestSize,
                      java.time.Duration maxRequestDuration, ForwardedForConfig forwardedFor) {
        this.core = core;
        this.dispatcher = new ApiDispatcher(core, apiAddr, clusterAddr);
        this.proofs = new ForwardingProof(core, java.time.Clock.systemUTC());
        this.forwarder = new StandbyForwarder(core, maxRequestSize, maxRequestDuration, forwardedFor, proofs);
        this.maxRequestSize = maxRequestSize;
        this.forwardedFor = forwardedFor;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        ApiResponse out;
        try {
            if (forwarder.applies(req)) {
                out = forwarder.forward(req, res);
                if (out == null) {
                    return; // the active node's answer was relayed as is
                }
                if (out == StandbyForwarder.SERVE_LOCALLY) {
                    markServedBy(res);
                    out = dispatcher.dispatch(toApiRequest(req));
                }
            } else {
                markServedBy(res);
                out = dispatcher.dispatch(toApiRequest(req));
            }
        } catch (CofferException e) {
            out = error(e);
        } catch (PayloadTooLarge e) {
            out = new ApiResponse(413, errors(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("unexpected error serving {} {}", req.prologue().method().text(), req.path().path(), e);
            out = new ApiResponse(500, errors("internal error; see the server log for details"));
        }
        write(res, out);
    }

    /**
     * With HA, names the node that served the request and its lock generation at the start of it
     * ({@code X-Coffer-Node}, {@code X-Coffer-Ha-Generation}); a standby relays them from the active node, so a
     * client can tell which tenure acknowledged its write.
     */
    private void markServedBy(ServerResponse res) {
        if (core.haEnabled()) {
            res.header(SERVED_BY, core.nodeId());
            core.haGeneration().ifPresent(g -> res.header(HA_GENERATION, Long.toString(g)));
        }
    }

    private ApiRequest toApiRequest(ServerRequest req) {
        String raw = req.path().path();
        if (!raw.startsWith("/v1/")) {
            throw new CofferException.NotFound("no handler for " + raw + "; the API lives under /v1/");
        }
        Map<String, String> query = new HashMap<>();
        for (String name : req.query().names()) {
            query.put(name, req.query().first(name).orElse(""));
        }
        String method = req.prologue().method().text().toUpperCase(java.util.Locale.ROOT);
        String operation = switch (method) {
            case "POST" -> "PUT";
            case "GET" -> isTrue(query.get("list")) ? "LIST" : "GET";
            default -> method;
        };
        boolean binary = RawBodyRoutes.takesRawBody(operation, raw.substring(4));
        ObjectNode body = binary ? JsonNodeFactory.instance.objectNode() : readBody(req);
        String token = req.headers().first(VAULT_TOKEN).orElse(null);
        if (token == null) {
            token = req.headers().first(HeaderNames.AUTHORIZATION)
                    .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(a -> a.substring(7).strip()).orElse(null);
        }
        ClientAddress client = ClientAddress.of(req, forwardedFor, proofs);
        return new ApiRequest(operation, raw.substring(4), Map.copyOf(query), body, token, client.address(),
                binary ? req.content().inputStream() : null, client.forwardedFor());
    }

    private static boolean isTrue(String v) {
        return v != null && (v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1"));
    }

    private ObjectNode readBody(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(-1);
        if (maxRequestSize > 0 && declared > maxRequestSize) {
            throw new PayloadTooLarge(maxRequestSize);
        }
        if (!req.content().hasEntity()) {
            return JsonNodeFactory.instance.objectNode();
        }
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            if (declared >= 0 && declared <= Integer.MAX_VALUE - 8) {
                // the stream ends at Content-Length, so reading exactly that many bytes needs no scratch buffer
                bytes = in.readNBytes((int) declared);
            } else {
                bytes = maxRequestSize > 0 ? in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestSize + 1))
                        : in.readAllBytes();
            }
            if (maxRequestSize > 0 && bytes.length > maxRequestSize) {
                throw new PayloadTooLarge(maxRequestSize);
            }
        } catch (IOException e) {
            throw new CofferException.BadRequest("could not read the request body: " + e.getMessage());
        }
        if (isBlank(bytes)) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new CofferException.BadRequest("failed to parse JSON input: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CofferException.BadRequest("failed to read JSON input: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new CofferException.BadRequest("the request body must be a JSON object, got a JSON "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return obj;
    }

    /**
     * Whether the body is empty or only whitespace as {@link String#isBlank} sees it. A body that starts with a
     * non-blank ASCII character (a JSON object's '{') is answered without decoding it; one with non-ASCII bytes
     * before that is decoded and checked like before.
     */
    static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank();
            }
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    private static ApiResponse error(CofferException e) {
        int status = ErrorMapper.status(e);
        if (status >= 500 && !(e instanceof CofferException.Sealed)) {
            LOG.error("request failed: {}", e.getMessage(), e);
        }
        if (e instanceof CofferException.NotFound && e.getMessage() == null) {
            return new ApiResponse(404, null);
        }
        return new ApiResponse(status, errors(e.getMessage()));
    }

    static ObjectNode errors(String message) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putArray("errors").add(message);
        return o;
    }

    private static void write(ServerResponse res, ApiResponse out) {
        res.status(out.status());
        if (out.stream() != null) {
            writeStream(res, out.stream());
            return;
        }
        if (out.status() == 204 || out.status() == 307) {
            res.send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (out.json() != null) {
            res.send(out.json());
            return;
        }
        try {
            res.send(out.body() == null ? EMPTY_JSON_ERRORS : MAPPER.writeValueAsBytes(out.body()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Streams a non-JSON body (a snapshot). A failure half way can no longer change the status, so the connection
     * is cut instead and the client sees a truncated body, which the archive's own checks reject.
     */
    private static void writeStream(ServerResponse res, StreamingBody body) {
        try (body) {
            res.header(HeaderNames.CONTENT_TYPE, body.contentType());
            try (OutputStream os = res.outputStream()) {
                body.writeTo(os);
            }
        } catch (IOException e) {
            LOG.warn("streaming a {} response failed part way: {}", body.contentType(), e.getMessage());
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** 413: thrown before the body is buffered, so an oversized request costs at most the limit in memory. */
    static final class PayloadTooLarge extends RuntimeException {
        PayloadTooLarge(long limit) {
            super("request body is larger than max_request_size (" + limit + " bytes); send less, or raise "
                    + "max_request_size in the listener stanza", null, false, false);
        }
    }
}
