package dev.coffer.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.barrier.AesGcmBarrier;
import dev.coffer.barrier.BarrierView;
import dev.coffer.core.Json;
import dev.coffer.storage.InmemBackend;
import dev.coffer.testing.MutableClock;
import dev.coffer.util.ParseMemo;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lookups skip parsing an entry whose stored bytes they parsed before, and only then: every change to a token,
 * by this store or by another node writing the same storage, is seen by the next lookup.
 */
class TokenLookupTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InmemBackend storage = new InmemBackend();
    private BarrierView view;
    private TokenStore store;

    @BeforeEach
    void unsealed() {
        AesGcmBarrier barrier = new AesGcmBarrier(storage);
        byte[] root = new byte[32];
        new SecureRandom().nextBytes(root);
        barrier.initialize(root);
        barrier.unseal(root);
        view = new BarrierView(barrier, "sys/token/");
        store = new TokenStore(view, new SecureRandom(), clock);
        store.load();
    }

    private TokenStore.Issued issue(int numUses, Duration ttl) {
        return store.create(new TokenRequest(null, List.of("app"), "t", Map.of(), ttl, null, null, numUses, true,
                "auth/token/create", null, null));
    }

    @Test
    void aRepeatedLookupOfUnchangedBytesReturnsTheSameParse() {
        TokenStore.Issued t = issue(0, Duration.ofHours(1));
        TokenEntry first = store.lookup(t.token()).orElseThrow();
        assertThat(store.lookup(t.token()).orElseThrow()).isSameAs(first).isEqualTo(t.entry());
    }

    @Test
    void usesRenewalsAndRevocationAreSeenByTheNextLookup() {
        TokenStore.Issued t = issue(3, Duration.ofHours(1));
        assertThat(store.lookup(t.token()).orElseThrow().numUses()).isEqualTo(3);
        store.useOnce(store.lookup(t.token()).orElseThrow());
        assertThat(store.lookup(t.token()).orElseThrow().numUses()).isEqualTo(2);
        long expiry = store.lookup(t.token()).orElseThrow().expireTime();
        clock.advance(Duration.ofMinutes(30));
        store.renew(store.lookup(t.token()).orElseThrow(), 7200, 86_400);
        assertThat(store.lookup(t.token()).orElseThrow().expireTime()).isGreaterThan(expiry);
        store.useOnce(store.lookup(t.token()).orElseThrow());
        store.useOnce(store.lookup(t.token()).orElseThrow());
        assertThat(store.lookup(t.token())).as("its last use revoked it").isEmpty();
    }

    @Test
    void anEntryRewrittenInStorageByAnotherNodeIsReadAfresh() {
        TokenStore.Issued t = issue(0, Duration.ofHours(1));
        TokenEntry before = store.lookup(t.token()).orElseThrow();
        TokenEntry changed = new TokenEntry(before.key(), before.accessor(), List.of("other"), before.displayName(),
                before.creationTime(), before.parent(), before.path(), before.meta(), before.creationTtl(),
                before.expireTime(), before.explicitMaxTtl(), before.period(), 5, false, before.orphan());
        // what the active node of an HA cluster does through its own barrier over the same storage
        view.put(TokenStore.ID_PREFIX + before.key(), Json.write(changed));
        assertThat(store.lookup(t.token()).orElseThrow()).isEqualTo(changed);
        view.delete(TokenStore.ID_PREFIX + before.key());
        assertThat(store.lookup(t.token())).isEmpty();
    }

    @Test
    void expiryIsJudgedAtEveryLookupEvenWhenTheParseIsReused() {
        TokenStore.Issued t = issue(0, Duration.ofMinutes(10));
        assertThat(store.lookup(t.token())).isPresent();
        clock.advance(Duration.ofMinutes(11));
        assertThat(store.lookup(t.token())).isEmpty();
        assertThat(view.get(TokenStore.ID_PREFIX + t.entry().key())).as("revoked on the spot").isEmpty();
    }

    @Test
    void rememberedParsesAreBoundedAndForgottenOnSeal() {
        for (int i = 0; i < TokenStore.PARSED_ENTRIES + 50; i++) {
            store.lookup(issue(0, Duration.ZERO).token()).orElseThrow();
        }
        ParseMemo<TokenEntry> parsed = store.parsed;
        assertThat(parsed.size()).isLessThanOrEqualTo(TokenStore.PARSED_ENTRIES);
        store.unload();
        assertThat(parsed.size()).isZero();
    }
}
