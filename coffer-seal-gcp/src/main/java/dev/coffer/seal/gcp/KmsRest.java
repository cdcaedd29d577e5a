package dev.coffer.seal.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.Credentials;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A minimal client of the Cloud KMS REST API v1 ({@code GET} a CryptoKey, {@code POST :encrypt},
 * {@code POST :decrypt}) over the JDK HttpClient, authorized by Google's auth library. Every call is bounded:
 * the access token (cached by the auth library, fetched at most {@link #CALL_DEADLINE} long) plus up to
 * {@link #MAX_ATTEMPTS} attempts of at most {@link #ATTEMPT_TIMEOUT} each with short backoff, all within
 * {@link #CALL_DEADLINE}; only UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, RESOURCE_EXHAUSTED and network
 * failures are retried.
 */
final class KmsRest implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(4);
    static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
    static final int MAX_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GcpSealConfig config;
    private final Credentials credentials;
    private final HttpClient http;
    private final ExecutorService tokenThreads = Executors.newVirtualThreadPerTaskExecutor();

    KmsRest(GcpSealConfig config, Credentials credentials) {
        this.config = config;
        this.credentials = credentials;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Fetches (or refreshes) the access token now, so credential problems are reported as such at startup. */
    void authorize() throws SealException {
        bearer(System.nanoTime() + CALL_DEADLINE.toNanos());
    }

    JsonNode get(String name, String permission) throws SealException {
        return call("GET", name, null, new GcpErrors.Attempt("GET " + name, permission, name, config));
    }

    /** {@code POST v1/{resource}:{verb}} with a JSON body. */
    JsonNode post(String resource, String verb, Map<String, Object> body, String permission) throws SealException {
        String path = resource + ":" + verb;
        return call("POST", path, body, new GcpErrors.Attempt("POST " + path, permission, resource, config));
    }

    private JsonNode call(String method, String path, Map<String, Object> body, GcpErrors.Attempt attempt)
            throws SealException {
        long deadline = System.nanoTime() + CALL_DEADLINE.toNanos();
        URI uri = URI.create(config.endpoint() + "/v1/" + path);
        byte[] payload;
        try {
            payload = body == null ? null : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a request body", e);
        }
        SealException last = null;
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            if (i > 0 && !sleep(backoff(i, last), deadline)) {
                break;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            String authorization = bearer(deadline);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofNanos(Math.min(ATTEMPT_TIMEOUT.toNanos(), deadline - System.nanoTime())))
                    .header("Authorization", authorization)
                    .header("Accept", "application/json")
                    .header("x-goog-user-project", config.project());
            if (payload == null) {
                request.GET();
            } else {
                request.header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                last = GcpErrors.network(e, attempt);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SealException(Reason.UNREACHABLE, "gcpckms seal: interrupted during " + attempt.method(), e);
            }
            JsonNode answer = parse(response.body());
            if (response.statusCode() / 100 == 2) {
                if (answer == null) {
                    throw new SealException(Reason.OTHER, "gcpckms seal: " + attempt.where() + " answered "
                            + attempt.method() + " with a body that is not JSON: is the endpoint a Cloud KMS endpoint?");
                }
                return answer;
            }
            JsonNode error = answer == null ? null : answer.path("error");
            String status = error != null && error.path("status").isTextual() ? error.path("status").asText()
                    : GcpErrors.statusOf(response.statusCode());
            String message = error != null && error.path("message").isTextual() ? error.path("message").asText() : "";
            last = GcpErrors.fromStatus(status, response.statusCode(), message, attempt);
            if (!GcpErrors.RETRYABLE.contains(status)) {
                throw last;
            }
        }
        throw last != null ? last : GcpErrors.network(null, attempt);
    }

    /** The Authorization header value; the auth library caches the token and refreshes it before it expires. */
    private String bearer(long deadline) throws SealException {
        URI audience = URI.create(config.endpoint() + "/");
        Future<Map<String, List<String>>> metadata = tokenThreads.submit(() -> credentials.getRequestMetadata(audience));
        try {
            Map<String, List<String>> headers = metadata.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            List<String> values = headers == null ? null : headers.get("Authorization");
            if (values == null || values.isEmpty()) {
                throw new SealException(Reason.BAD_CREDENTIALS, "gcpckms seal: the credentials produced no"
                        + " Authorization header: use a service-account key or Application Default Credentials");
            }
            return values.getFirst();
        } catch (ExecutionException e) {
            throw GcpErrors.credentials(e.getCause(), config);
        } catch (TimeoutException e) {
            metadata.cancel(true);
            throw GcpErrors.credentials(e, config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SealException(Reason.UNREACHABLE, "gcpckms seal: interrupted while obtaining an access token", e);
        }
    }

    private static Duration backoff(int attempt, SealException last) {
        long base = last != null && last.reason() == Reason.THROTTLED ? 250 : 100;
        return Duration.ofMillis(Math.min(base << (attempt - 1), 2000));
    }

    /** Sleeps unless that would pass the deadline; false when there is no time left for another attempt. */
    private static boolean sleep(Duration pause, long deadline) throws SealException {
        if (System.nanoTime() + pause.toNanos() >= deadline) {
            return false;
        }
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SealException(Reason.UNREACHABLE, "gcpckms seal: interrupted while retrying", e);
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        tokenThreads.shutdownNow();
        http.close();
    }
}
