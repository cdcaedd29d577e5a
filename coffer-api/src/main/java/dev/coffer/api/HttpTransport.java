package dev.coffer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/** Sends one API call with retries; knows nothing about individual endpoints. */
final class HttpTransport implements AutoCloseable {
    /** Answers worth another try: the server or a proxy in front of it failed transiently. */
    private static final Set<Integer> RETRYABLE = Set.of(412, 500, 502, 504);
    /** 412 means the request was not processed (the node lags behind), so it is safe to resend whatever it was. */
    private static final int NOT_PROCESSED = 412;
    /**
     * Methods that change nothing on the server. Only these are resent after a 5xx or a broken connection:
     * a PUT to sys/unseal, sys/rotate or sys/init may have taken effect before it failed, and resending it
     * would count a share again, add another key term or hide the real error behind "already initialized".
     */
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "LIST", "OPTIONS");
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final ClientConfig config;
    private final ObjectMapper mapper;
    private final HttpClient http;
    private final TransportOptions options;

    HttpTransport(ClientConfig config, ObjectMapper mapper) {
        this(config, mapper, TransportOptions.NONE);
    }

    HttpTransport(ClientConfig config, ObjectMapper mapper, TransportOptions options) {
        this.config = config;
        this.mapper = mapper;
        this.options = options;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        SSLContext tls = TlsContexts.create(config, options);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /** Sends {@code method} to {@code /v1/<path>} and returns whatever status the server answered. */
    ApiResponse exchange(String method, String path, JsonNode body) {
        URI uri = uri(path);
        int attempt = 0;
        while (true) {
            try {
                ApiResponse response = sendOnce(method, uri, body);
                if (!RETRYABLE.contains(response.status()) || attempt >= config.maxRetries()
                        || (response.status() != NOT_PROCESSED && !SAFE_METHODS.contains(method))) {
                    return response;
                }
            } catch (IOException e) {
                // A refused connection never delivered the request, so even an unsafe method may be resent.
                boolean delivered = !(e instanceof ConnectException);
                if (attempt >= config.maxRetries() || e instanceof SSLException
                        || (delivered && !SAFE_METHODS.contains(method))) {
                    throw connectionFailure(method, uri, e);
                }
            }
            pause(attempt++);
        }
    }

    URI uri(String path) {
        String clean = path.startsWith("/") ? path.substring(1) : path;
        if (clean.startsWith("v1/")) {
            clean = clean.substring(3);
        }
        try {
            return URI.create(config.address() + "/v1/" + clean);
        } catch (IllegalArgumentException e) {
            throw new ClientConfigException("invalid address or path: " + config.address() + "/v1/" + clean, e);
        }
    }

    private ApiResponse sendOnce(String method, URI uri, JsonNode body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
        if (body != null) {
            request.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        }
        if (config.token() != null) {
            request.header("X-Vault-Token", config.token());
        }
        options.headers().forEach(request::header);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new ApiResponse(response.statusCode(), parse(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CofferConnectionException("interrupted while waiting for " + method + " " + uri, e);
        }
    }

    /**
     * GETs {@code path} and, on a 2xx, copies the body into {@code out} as it arrives (never buffered whole);
     * otherwise returns the parsed error body. Not retried: part of the body may already be written.
     */
    ApiResponse download(String path, OutputStream out) {
        URI uri = uri(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout()).GET();
        withToken(request);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    return new ApiResponse(response.statusCode(), parse(body.readAllBytes()));
                }
                body.transferTo(out);
                return new ApiResponse(response.statusCode(), null);
            }
        } catch (IOException e) {
            throw connectionFailure("GET", uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CofferConnectionException("interrupted while waiting for GET " + uri, e);
        }
    }

    /** POSTs the file as a raw binary body, streamed from disk. Not retried: a restore is not idempotent in effect. */
    ApiResponse upload(String path, Path file) {
        URI uri = uri(path);
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout())
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofFile(file));
            withToken(request);
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new ApiResponse(response.statusCode(), parse(response.body()));
        } catch (java.io.FileNotFoundException e) {
            throw new CofferClientException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw connectionFailure("POST", uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CofferConnectionException("interrupted while waiting for POST " + uri, e);
        }
    }

    private void withToken(HttpRequest.Builder request) {
        if (config.token() != null) {
            request.header("X-Vault-Token", config.token());
        }
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private CofferConnectionException connectionFailure(String method, URI uri, IOException e) {
        String address = config.address();
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String advice;
        if (e instanceof ConnectException) {
            advice = "Nothing accepted the connection. Check that the server is running and that VAULT_ADDR "
                    + "(or -address) points at it, with the scheme (http or https) its listener uses.";
        } else if (e instanceof SSLException) {
            advice = "TLS failed. If the server uses a private CA, set VAULT_CACERT or VAULT_CAPATH; if it "
                    + "listens on plain HTTP, use an http:// address.";
        } else if (e instanceof HttpTimeoutException) {
            advice = "No answer within " + config.timeout().toSeconds() + "s (VAULT_CLIENT_TIMEOUT).";
        } else {
            advice = "Check the address, and that its scheme (http vs https) matches the server's listener.";
        }
        return new CofferConnectionException("Error connecting to " + address + " (" + method + " " + uri.getPath()
                + "): " + detail + "\n" + advice, e);
    }

    private static void pause(int attempt) {
        long millis = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt, 4));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CofferConnectionException("interrupted while waiting to retry", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
