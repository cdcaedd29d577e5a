package dev.coffer.seal.transit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.api.ApiResponse;
import dev.coffer.api.CofferClient;
import dev.coffer.seal.SealException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the seal's token alive: looks it up, and while it is renewable and expires, renews it
 * ({@code auth/token/renew-self}) at half its TTL on a daemon thread. Failures are logged once per streak and
 * retried; a token that is not renewable or never expires is left alone.
 */
final class TokenRenewer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenRenewer.class);
    private static final String LOOKUP = "auth/token/lookup-self";
    private static final String RENEW = "auth/token/renew-self";

    private final CofferClient client;
    private final TransitSealConfig config;
    private final Duration renewEvery;
    private final Duration retry;
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicInteger renewals = new AtomicInteger();
    private volatile boolean failing;

    TokenRenewer(CofferClient client, TransitSealConfig config, Duration renewEvery, Duration retry) {
        this.client = client;
        this.config = config;
        this.renewEvery = renewEvery;
        this.retry = retry;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "coffer-transit-seal-token-renewal");
            t.setDaemon(true);
            return t;
        });
        // close() drops what is scheduled but lets a running call finish: interrupting the JDK HttpClient
        // mid-request would leave an exchange that makes closing the client wait for its timeout
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
    }

    TokenRenewer start() {
        executor.execute(this::lookup);
        return this;
    }

    /** How many renewals succeeded so far. */
    int renewals() {
        return renewals.get();
    }

    private void lookup() {
        try {
            JsonNode data = call("GET", LOOKUP, "look up the token").path("data");
            long ttl = data.path("ttl").asLong(0);
            if (!data.path("renewable").asBoolean(false)) {
                LOG.info("transit seal: the token is not renewable; it is used as is (ttl {}s)", ttl);
                return;
            }
            if (ttl <= 0) {
                LOG.info("transit seal: the token does not expire; no renewal needed");
                return;
            }
            schedule(this::renew, interval(ttl));
        } catch (SealException e) {
            failed(e);
        }
    }

    private void renew() {
        try {
            JsonNode auth = call("PUT", RENEW, "renew the token").path("auth");
            renewals.incrementAndGet();
            long lease = auth.path("lease_duration").asLong(0);
            LOG.debug("transit seal: token renewed for {}s", lease);
            if (failing) {
                failing = false;
                LOG.info("transit seal: token renewal works again");
            }
            if (!auth.path("renewable").asBoolean(true) || lease <= 0) {
                return;
            }
            schedule(this::renew, interval(lease));
        } catch (SealException e) {
            failed(e);
        }
    }

    private void failed(SealException e) {
        if (executor.isShutdown()) {
            return;
        }
        if (!failing) {
            failing = true;
            LOG.warn("{} (retried every {}s; logged once until it works again)", e.getMessage(), retry.toSeconds());
        }
        schedule(this::lookup, retry);
    }

    private JsonNode call(String method, String path, String operation) throws SealException {
        TransitErrors.Attempt attempt = new TransitErrors.Attempt(operation, path, config);
        ApiResponse response;
        try {
            response = client.raw(method, path, method.equals("PUT") ? CofferClient.mapper().createObjectNode() : null);
        } catch (RuntimeException e) {
            throw TransitErrors.fromThrown(attempt, e);
        }
        if (!response.isSuccess() || response.body() == null) {
            throw TransitErrors.fromResponse(attempt, response);
        }
        return response.body();
    }

    private Duration interval(long ttlSeconds) {
        return renewEvery != null ? renewEvery : Duration.ofSeconds(Math.max(1, ttlSeconds / 2));
    }

    private void schedule(Runnable task, Duration delay) {
        if (!executor.isShutdown()) {
            try {
                executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
