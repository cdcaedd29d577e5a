package dev.coffer.token;

import dev.coffer.CofferException;
import dev.coffer.barrier.BarrierView;
import dev.coffer.core.Json;
import dev.coffer.util.ParseMemo;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues, looks up, renews and revokes tokens. A token is never stored: its entry is keyed by a salted
 * HMAC-SHA256 of it ({@code id/<hmac>}), so neither storage contents nor lookup timing reveal anything about a
 * valid token (the lookup is a keyed-hash map access, not a comparison). The salt lives behind the barrier.
 * Accessors are indexed the same way ({@code accessor/<hmac>}), and the parent/child tree is kept as
 * {@code parent/<parent key>/<child key>} markers so revoking a parent finds its children. Everything is in
 * storage: expiry and the tree survive a restart.
 */
public final class TokenStore {
    private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
    static final String SALT_PATH = "salt";
    static final String ID_PREFIX = "id/";
    static final String ACCESSOR_PREFIX = "accessor/";
    static final String PARENT_PREFIX = "parent/";
    /** Length of a token: "hvs." plus 32 random characters. */
    public static final int TOKEN_LENGTH = 36;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final byte[] MARKER = {1};
    /** Token entries whose parse a store remembers (see {@link #parsed}). */
    static final int PARSED_ENTRIES = 4096;
    private static final Function<byte[], TokenEntry> ENTRY_PARSER = b -> Json.read(b, TokenEntry.class, "token entry");

    private final BarrierView view;
    private final SecureRandom random;
    private final Clock clock;
    private volatile byte[] salt;
    /**
     * HMAC-SHA256 keyed with the salt, the inner pad already absorbed; never used itself, only cloned (cloning is a
     * read of it), so every lookup skips the provider search and the key schedule. Dropped on seal.
     */
    private volatile Mac keyedHmac;
    /**
     * Entries already parsed, by storage key, with the exact bytes they were parsed from. Every authenticated request
     * looks its token up, and parsing the entry cost about as much as decrypting it; a lookup still reads and
     * decrypts the entry each time, and only the (pure) parse of unchanged bytes is skipped, so a renewed, used or
     * revoked token is seen at once. Entries are immutable, so the remembered one is handed out. Emptied on seal.
     */
    final ParseMemo<TokenEntry> parsed = ParseMemo.ofImmutable(PARSED_ENTRIES);

    /** A new token and its entry; the token is shown once to the caller and never kept. */
    public record Issued(String token, TokenEntry entry) {
    }

    public TokenStore(BarrierView view, SecureRandom random, Clock clock) {
        this.view = view;
        this.random = random;
        this.clock = clock;
    }

    /** Loads (or creates) the salt; called once the barrier is unsealed. */
    public void load() {
        Optional<byte[]> stored = view.get(SALT_PATH);
        byte[] s;
        if (stored.isPresent()) {
            s = stored.get();
        } else {
            s = new byte[32];
            random.nextBytes(s);
            view.put(SALT_PATH, s);
        }
        keyedHmac = keyedHmac(s);
        salt = s;
    }

    private static Mac keyedHmac(byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            mac.update(new byte[0]); // HMAC of "" followed by the value is the HMAC of the value
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Forgets the salt (on seal). */
    public void unload() {
        byte[] s = salt;
        salt = null;
        keyedHmac = null;
        parsed.clear();
        if (s != null) {
            Arrays.fill(s, (byte) 0);
        }
    }

    public boolean loaded() {
        return salt != null;
    }

    /** Creates an orphan root token; {@code requestedId} (dev mode's -dev-root-token-id) or null for a random one. */
    public String createRoot(String requestedId) {
        if (requestedId != null && requestedId.isBlank()) {
            throw new CofferException.BadRequest("a root token id cannot be empty");
        }
        TokenRequest r = new TokenRequest(null, List.of("root"), "root", null, null, null, null, 0, false, "auth/token/root",
                null, null);
        return issue(r, requestedId).token();
    }

    /** Issues a token as described; a null parent makes an orphan. */
    public Issued create(TokenRequest request) {
        return issue(request, null);
    }

    private synchronized Issued issue(TokenRequest r, String requestedId) {
        String token = requestedId != null ? requestedId : "hvs." + randomString(TOKEN_LENGTH - 4);
        long now = clock.instant().getEpochSecond();
        long ttl = TokenTtls.initialTtl(r);
        String key = hash(token);
        if (view.get(ID_PREFIX + key).isPresent()) {
            throw new CofferException.BadRequest("a token with this id already exists; choose another id");
        }
        String parentKey = r.parent() == null ? "" : r.parent().key();
        TokenEntry entry = new TokenEntry(key, randomString(24), r.policies(), r.displayName(), now, parentKey, r.path(),
                r.meta(), ttl, ttl == 0 ? 0 : now + ttl, r.explicitMaxTtl().toSeconds(), r.period().toSeconds(), r.numUses(),
                r.renewable() && ttl != 0, parentKey.isEmpty());
        if (!parentKey.isEmpty()) {
            view.put(PARENT_PREFIX + parentKey + "/" + key, MARKER);
        }
        view.put(ACCESSOR_PREFIX + hash(entry.accessor()), key.getBytes(StandardCharsets.US_ASCII));
        view.put(ID_PREFIX + key, Json.write(entry));
        return new Issued(token, entry);
    }

    /** Looks a token up; empty when unknown, expired (it is revoked on the spot) or the store is sealed. */
    public Optional<TokenEntry> lookup(String token) {
        if (token == null || token.isEmpty() || salt == null) {
            return Optional.empty();
        }
        return byKey(hash(token));
    }

    /** Looks a token up by its accessor; empty when unknown or expired. */
    public Optional<TokenEntry> lookupByAccessor(String accessor) {
        if (accessor == null || accessor.isEmpty() || salt == null) {
            return Optional.empty();
        }
        return view.get(ACCESSOR_PREFIX + hash(accessor))
                .flatMap(k -> byKey(new String(k, StandardCharsets.US_ASCII)));
    }

    private Optional<TokenEntry> byKey(String key) {
        Optional<TokenEntry> e = view.get(ID_PREFIX + key).map(b -> parsed.parse(key, b, ENTRY_PARSER));
        if (e.isPresent() && e.get().expiredAt(clock.instant().getEpochSecond())) {
            revokeTree(e.get());
            return Optional.empty();
        }
        return e;
    }

    /** Removes a token by value (the initial root token, dev mode). */
    public void revoke(String token) {
        lookup(token).ifPresent(this::revokeTree);
    }

    /** Revokes a token and, depth first, every descendant. Idempotent. */
    public synchronized void revokeTree(TokenEntry entry) {
        for (String childKey : view.list(PARENT_PREFIX + entry.key() + "/")) {
            view.get(ID_PREFIX + childKey).map(b -> Json.read(b, TokenEntry.class, "token entry"))
                    .ifPresentOrElse(this::revokeTree, () -> view.delete(PARENT_PREFIX + entry.key() + "/" + childKey));
        }
        deleteOne(entry);
    }

    /** Revokes only this token; its children become orphans. */
    public synchronized void revokeOrphan(TokenEntry entry) {
        for (String childKey : view.list(PARENT_PREFIX + entry.key() + "/")) {
            view.get(ID_PREFIX + childKey).map(b -> Json.read(b, TokenEntry.class, "token entry"))
                    .ifPresent(child -> view.put(ID_PREFIX + childKey, Json.write(child.asOrphan())));
            view.delete(PARENT_PREFIX + entry.key() + "/" + childKey);
        }
        deleteOne(entry);
    }

    private void deleteOne(TokenEntry entry) {
        view.delete(ID_PREFIX + entry.key());
        parsed.forget(entry.key());
        view.delete(ACCESSOR_PREFIX + hash(entry.accessor()));
        if (!entry.parent().isEmpty()) {
            view.delete(PARENT_PREFIX + entry.parent() + "/" + entry.key());
        }
    }

    /**
     * Extends a token's life by {@code incrementSeconds} (0: by its creation TTL, or its period), within
     * {@code maxTtlSeconds} of its creation and its explicit max TTL.
     */
    public synchronized TokenEntry renew(TokenEntry entry, long incrementSeconds, long maxTtlSeconds) {
        TokenEntry current = byKey(entry.key()).orElseThrow(() -> new CofferException.BadRequest(
                "the token was revoked or has expired; it cannot be renewed"));
        if (current.expireTime() == 0) {
            return current;
        }
        if (!current.renewable()) {
            throw new CofferException.BadRequest("this token is not renewable; create a new one instead");
        }
        long now = clock.instant().getEpochSecond();
        TokenEntry renewed = current.withExpireTime(TokenTtls.renewedExpiry(current, now, incrementSeconds, maxTtlSeconds));
        view.put(ID_PREFIX + renewed.key(), Json.write(renewed));
        return renewed;
    }

    /**
     * Counts one use of a token with limited uses; revokes it when that was the last one. Throws
     * PermissionDenied if the token disappeared meanwhile (e.g. a concurrent request used its last use).
     */
    public synchronized void useOnce(TokenEntry entry) {
        if (entry == null || entry.numUses() == 0) {
            return;
        }
        TokenEntry current = byKey(entry.key()).orElseThrow(() -> new CofferException.PermissionDenied(
                "permission denied: the token has no uses left"));
        if (current.numUses() <= 1) {
            revokeTree(current);
        } else {
            view.put(ID_PREFIX + current.key(), Json.write(current.withNumUses(current.numUses() - 1)));
        }
    }

    /** Revokes every expired token (with its children); returns how many expired tokens were found. */
    public int sweepExpired() {
        if (salt == null) {
            return 0;
        }
        long now = clock.instant().getEpochSecond();
        List<TokenEntry> expired = new ArrayList<>();
        for (String k : view.list(ID_PREFIX)) {
            view.get(ID_PREFIX + k).map(b -> Json.read(b, TokenEntry.class, "token entry"))
                    .filter(e -> e.expiredAt(now)).ifPresent(expired::add);
        }
        expired.forEach(this::revokeTree);
        if (!expired.isEmpty()) {
            LOG.info("revoked {} expired token(s) and their children", expired.size());
        }
        return expired.size();
    }

    /** Keys of the direct children of a token (tests and tooling). */
    public List<String> childKeys(TokenEntry entry) {
        return view.list(PARENT_PREFIX + entry.key() + "/");
    }

    private String hash(String value) {
        Mac keyed = keyedHmac;
        if (keyed == null) {
            throw new CofferException.Sealed("the token store is not loaded; the vault is sealed");
        }
        try {
            Mac mac = (Mac) keyed.clone();
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HmacSHA256 implementation cannot be cloned", e);
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
