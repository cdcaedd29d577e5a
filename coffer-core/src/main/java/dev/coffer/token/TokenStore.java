package dev.coffer.token;

import dev.coffer.CofferException;
import dev.coffer.barrier.BarrierView;
import dev.coffer.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and looks up tokens. Tokens are looked up by a salted HMAC-SHA256 of the token, never stored or
 * compared in clear: the lookup key is a keyed hash, so neither storage contents nor lookup timing reveal
 * anything about a valid token. The salt lives behind the barrier.
 *
 * <p>This is the root-token core that the sys API needs; the full token system (child tokens, TTLs,
 * policies, accessors lookups) builds on it.
 */
public final class TokenStore {
    static final String SALT_PATH = "salt";
    static final String ID_PREFIX = "id/";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int TOKEN_CHARS = 32;

    private final BarrierView view;
    private final SecureRandom random;
    private final Clock clock;
    private volatile byte[] salt;

    public TokenStore(BarrierView view, SecureRandom random, Clock clock) {
        this.view = view;
        this.random = random;
        this.clock = clock;
    }

    /** Loads (or creates) the salt; called once the barrier is unsealed. */
    public void load() {
        Optional<byte[]> stored = view.get(SALT_PATH);
        if (stored.isPresent()) {
            salt = stored.get();
            return;
        }
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        view.put(SALT_PATH, fresh);
        salt = fresh;
    }

    /** Forgets the salt (on seal). */
    public void unload() {
        byte[] s = salt;
        salt = null;
        if (s != null) {
            java.util.Arrays.fill(s, (byte) 0);
        }
    }

    /** Creates a root token; {@code requestedId} (dev mode's -dev-root-token-id) or null for a random one. */
    public String createRoot(String requestedId) {
        String token = requestedId != null ? requestedId : "hvs." + randomString(TOKEN_CHARS);
        if (token.isBlank()) {
            throw new CofferException.BadRequest("a root token id cannot be empty");
        }
        TokenEntry entry = new TokenEntry(randomString(24), List.of("root"), "root",
                clock.instant().getEpochSecond());
        view.put(ID_PREFIX + hash(token), Json.write(entry));
        return token;
    }

    /** Looks a token up; empty when unknown (or the store is not loaded, i.e. sealed). */
    public Optional<TokenEntry> lookup(String token) {
        if (token == null || token.isEmpty() || salt == null) {
            return Optional.empty();
        }
        return view.get(ID_PREFIX + hash(token)).map(b -> Json.read(b, TokenEntry.class, "token entry"));
    }

    /** Removes a token; used when the initial root token is revoked. */
    public void revoke(String token) {
        if (salt != null) {
            view.delete(ID_PREFIX + hash(token));
        }
    }

    private String hash(String token) {
        byte[] s = salt;
        if (s == null) {
            throw new CofferException.Sealed("the token store is not loaded; the vault is sealed");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(s, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private String randomString(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
