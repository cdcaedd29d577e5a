package dev.coffer.server.http;

import dev.coffer.core.Core;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * How the active node knows that a forwarded request really comes from a standby of its own cluster, and so
 * may trust the client address the standby reports. The standby seals a short statement (time, its node id,
 * method, path and query, the client address it saw, the {@code X-Forwarded-For} chain it sends) with the
 * barrier's {@link dev.coffer.barrier.SecurityBarrier#encryptDetached}: only a node unsealed with the same keyring
 * can make one that the active node's barrier opens, and AES-GCM rejects any change. The active node accepts a
 * proof only for the request it came with and only within {@link #MAX_AGE} of its making.
 */
final class ForwardingProof {
    static final HeaderName HEADER = HeaderNames.create("X-Coffer-Forwarding-Proof");
    /** Never stored: the associated data that keeps this blob from being taken for any other barrier value. */
    static final String PURPOSE = "core/forwarding-proof";
    /** Covers transit time and clock skew between nodes; a replay inside it gains nothing but the same address. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    /** What a valid proof vouches for. */
    record Claim(String nodeId, String client) {
    }

    private final Core core;
    private final Clock clock;

    ForwardingProof(Core core, Clock clock) {
        this.core = core;
        this.clock = clock;
    }

    /** The header value a standby sends with a request it forwards. */
    String make(String method, String target, String client, String forwardedFor) {
        String statement = String.join("\n", "v1", Long.toString(clock.millis()), core.nodeId(), method, target, client,
                forwardedFor);
        byte[] sealed = core.barrier().encryptDetached(PURPOSE, statement.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /**
     * The claim of {@code header} when it was made by a node with this keyring for exactly this request (method,
     * path and query, X-Forwarded-For chain) less than {@link #MAX_AGE} ago; empty otherwise.
     */
    Optional<Claim> check(String header, String method, String target, String forwardedFor) {
        String[] f;
        try {
            byte[] opened = core.barrier().decryptDetached(PURPOSE, Base64.getUrlDecoder().decode(header));
            f = new String(opened, StandardCharsets.UTF_8).split("\n", -1);
        } catch (RuntimeException e) {
            return Optional.empty(); // another keyring, altered, not base64, or this node is sealed
        }
        if (f.length != 7 || !f[0].equals("v1") || !f[3].equals(method) || !f[4].equals(target)
                || !f[6].equals(forwardedFor == null ? "" : forwardedFor)) {
            return Optional.empty();
        }
        long age;
        try {
            age = clock.millis() - Long.parseLong(f[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (Math.abs(age) > MAX_AGE.toMillis()) {
            return Optional.empty();
        }
        return Optional.of(new Claim(f[2], f[5]));
    }
}
