package dev.coffer.core;

import dev.coffer.seal.SealException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps trying to unseal an auto-sealed node through its KMS, with capped exponential backoff, until it is
 * unsealed (or an operator sealed it, or the node stops). Logs one line each time the failure changes, so an
 * outage is one actionable line rather than a flood; the latest error is also in {@code sys/seal-status}.
 */
public final class AutoUnsealer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoUnsealer.class);

    private final Core core;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Thread thread;
    private volatile boolean stopped;

    public AutoUnsealer(Core core, Duration initialDelay, Duration maxDelay) {
        this.core = core;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.thread = Thread.ofPlatform().daemon().name("coffer-auto-unseal").unstarted(this::run);
    }

    public AutoUnsealer start() {
        thread.start();
        return this;
    }

    private void run() {
        Duration delay = initialDelay;
        String lastFailure = null;
        while (!stopped) {
            try {
                if (core.autoUnseal() || !core.sealed()) {
                    LOG.info("unsealed through the {} seal", core.sealType());
                    return;
                }
                if (!core.initialized()) {
                    lastFailure = logOnce(lastFailure, "not initialized yet: run `coffer operator init`; the node will "
                            + "unseal itself through the " + core.sealType() + " seal afterwards");
                } else {
                    return; // sealed by an operator: recovery keys are needed now
                }
            } catch (SealException e) {
                lastFailure = logOnce(lastFailure, "cannot unseal through " + sealWords() + " ("
                        + e.reason() + "): " + e.getMessage() + "; retrying, next attempt in " + delay.toSeconds() + "s");
            } catch (RuntimeException e) {
                lastFailure = logOnce(lastFailure, "cannot unseal: " + e.getMessage() + "; retrying");
            }
            if (!sleep(delay)) {
                return;
            }
            delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
        }
    }

    private String sealWords() {
        return core.autoSealWrapper().filter(dev.coffer.seal.MultiSeal.class::isInstance).isPresent()
                ? "any of its seals" : "the " + core.sealType() + " seal";
    }

    private static String logOnce(String last, String message) {
        String klass = message.replaceAll("next attempt in \\d+s", "");
        if (!klass.equals(last)) {
            LOG.warn(message);
        } else {
            LOG.debug(message);
        }
        return klass;
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
