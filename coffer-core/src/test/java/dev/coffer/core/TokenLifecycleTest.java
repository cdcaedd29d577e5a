package dev.coffer.core;

import dev.coffer.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.storage.InmemBackend;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens through Core.handle, as clients use them: tree revocation, TTLs, num_uses, accessors, restarts. */
class TokenLifecycleTest {
    private final InmemBackend storage = new InmemBackend();
    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2025-06-01T00:00:00Z"));
    private Core core;
    private String root;
    private String unsealKey;

    @BeforeEach
    void init() {
        core = newCore();
        InitResult r = core.init(new InitRequest(1, 1, 0, 0));
        unsealKey = Base64.getEncoder().encodeToString(r.keys().get(0));
        core.unseal(unsealKey);
        root = r.rootToken();
        core.policies().put("p", "path \"auth/token/create\" { capabilities = [\"update\"] }");
    }

    private Core newCore() {
        return new Core(new CoreOptions(storage, "inmem", null, null, null, null, null, clock, null, null));
    }

    private void restart() {
        core.seal();
        core = newCore();
        core.unseal(unsealKey);
    }

    private LogicalResponse call(String token, Operation op, String path, String json) {
        ObjectNode body = (ObjectNode) Json.read(json.getBytes(), JsonNode.class, "test");
        return core.handle(new LogicalRequest("t", op, path, null, null, body, token, null, "test", Map.of()));
    }

    private JsonNode create(String parent, String json) {
        return call(parent, Operation.UPDATE, "auth/token/create", json).auth();
    }

    /** Token entries in storage (still encrypted): a swept token's entry is gone, not just refused. */
    private int storedTokenIds() {
        return storage.list("sys/token/id/").size();
    }

    private boolean valid(String token) {
        return core.tokens().lookup(token).isPresent();
    }

    @Test
    void revokingAParentRevokesItsChildren_butNotOrphans() {
        String parent = create(root, "{\"policies\":[\"p\"]}").get("client_token").asText();
        String child = create(parent, "{}").get("client_token").asText();
        String grandchild = create(child, "{}").get("client_token").asText();
        JsonNode orphan = create(root, "{\"no_parent\":true}");
        assertThat(orphan.get("orphan").asBoolean()).isTrue();

        call(root, Operation.UPDATE, "auth/token/revoke", "{\"token\":\"" + parent + "\"}");

        assertThat(valid(parent)).isFalse();
        assertThat(valid(child)).isFalse();
        assertThat(valid(grandchild)).isFalse();
        assertThat(valid(orphan.get("client_token").asText())).isTrue();
    }

    @Test
    void revokeOrphan_keepsTheChildrenAsOrphans() {
        String parent = create(root, "{\"policies\":[\"p\"]}").get("client_token").asText();
        String child = create(parent, "{}").get("client_token").asText();
        call(root, Operation.UPDATE, "auth/token/revoke-orphan", "{\"token\":\"" + parent + "\"}");
        assertThat(valid(parent)).isFalse();
        assertThat(core.tokens().lookup(child).orElseThrow().orphan()).isTrue();
    }

    @Test
    void childPolicies_mustBeASubsetOfTheParents() {
        core.policies().put("p", "path \"secret/*\" { capabilities = [\"read\"] }");
        core.policies().put("q", "path \"auth/token/create\" { capabilities = [\"update\"] }");
        String parent = create(root, "{\"policies\":[\"p\",\"q\"]}").get("client_token").asText();
        assertThat(create(parent, "{\"policies\":[\"P\"]}").get("policies")).extracting(JsonNode::asText)
                .containsExactly("default", "p");
        assertThatThrownBy(() -> create(parent, "{\"policies\":[\"admin\"]}"))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("subset");
        assertThatThrownBy(() -> create(parent, "{\"no_parent\":true}"))
                .isInstanceOf(CofferException.PermissionDenied.class);
    }

    @Test
    void expiredTokens_areDeniedAtOnce_andSweptWithTheirChildren_acrossARestart() {
        String parent = create(root, "{\"policies\":[\"p\"],\"ttl\":\"1h\"}").get("client_token").asText();
        String child = create(root, "{\"policies\":[\"p\"],\"ttl\":\"10h\"}").get("client_token").asText();
        String grandchild = create(parent, "{\"ttl\":\"10h\"}").get("client_token").asText();
        restart();
        clock.advance(Duration.ofMinutes(61));

        assertThatThrownBy(() -> call(parent, Operation.READ, "auth/token/lookup-self", "{}"))
                .isInstanceOf(CofferException.PermissionDenied.class);
        assertThat(core.tokens().sweepExpired()).isZero(); // the lookup already revoked it
        assertThat(valid(grandchild)).isFalse();
        assertThat(valid(child)).isTrue();

        int storedBefore = storedTokenIds();
        clock.advance(Duration.ofHours(10));
        // the core's own sweeper may get there first (it runs once at unseal, on its own thread): count both
        core.tokens().sweepExpired();
        assertThat(storedTokenIds()).isEqualTo(storedBefore - 1);
        restart();
        assertThat(valid(child)).isFalse();
        assertThat(valid(root)).isTrue();
    }

    @Test
    void ttlRules_defaultExplicitMaxAndPeriodic() {
        assertThat(create(root, "{\"policies\":[\"p\"]}").get("lease_duration").asLong()).isEqualTo(768 * 3600);
        assertThat(create(root, "{}").get("lease_duration").asLong()).isZero(); // root child: never expires
        assertThat(create(root, "{\"policies\":[\"p\"],\"ttl\":\"2h\",\"explicit_max_ttl\":\"1h\"}")
                .get("lease_duration").asLong()).isEqualTo(3600);
        String periodic = create(root, "{\"policies\":[\"p\"],\"period\":\"30m\"}").get("client_token").asText();
        clock.advance(Duration.ofMinutes(20));
        JsonNode renewed = call(periodic, Operation.UPDATE, "auth/token/renew-self", "{\"increment\":\"5h\"}").auth();
        assertThat(renewed.get("lease_duration").asLong()).isEqualTo(1800);
        clock.advance(Duration.ofMinutes(29));
        assertThat(valid(periodic)).isTrue();
    }

    @Test
    void renew_isCappedByExplicitMaxTtl() {
        String t = create(root, "{\"policies\":[\"p\"],\"ttl\":\"1h\",\"explicit_max_ttl\":\"90m\"}")
                .get("client_token").asText();
        clock.advance(Duration.ofMinutes(50));
        JsonNode r = call(root, Operation.UPDATE, "auth/token/renew", "{\"token\":\"" + t + "\",\"increment\":\"1h\"}")
                .auth();
        assertThat(r.get("lease_duration").asLong()).isEqualTo(40 * 60);
    }

    @Test
    void numUses_areCountedPerRequest_andTheTokenIsRevokedWhenExhausted() {
        String t = create(root, "{\"policies\":[\"p\"],\"num_uses\":2}").get("client_token").asText();
        JsonNode first = call(t, Operation.READ, "auth/token/lookup-self", "{}").data();
        assertThat(first.get("num_uses").asInt()).isEqualTo(2);
        call(t, Operation.READ, "auth/token/lookup-self", "{}");
        assertThat(valid(t)).isFalse();
        assertThatThrownBy(() -> call(t, Operation.READ, "auth/token/lookup-self", "{}"))
                .isInstanceOf(CofferException.PermissionDenied.class);
    }

    @Test
    void accessors_lookUpAndRevoke_withoutTheToken() {
        JsonNode auth = create(root, "{\"policies\":[\"p\"],\"display_name\":\"ci\",\"meta\":{\"team\":\"x\"}}");
        String accessor = auth.get("accessor").asText();
        JsonNode data = call(root, Operation.UPDATE, "auth/token/lookup-accessor",
                "{\"accessor\":\"" + accessor + "\"}").data();
        assertThat(data.get("display_name").asText()).isEqualTo("token-ci");
        assertThat(data.get("id").asText()).isEmpty();
        assertThat(data.get("meta").get("team").asText()).isEqualTo("x");
        assertThat(data.get("type").asText()).isEqualTo("service");
        call(root, Operation.UPDATE, "auth/token/revoke-accessor", "{\"accessor\":\"" + accessor + "\"}");
        assertThat(valid(auth.get("client_token").asText())).isFalse();
    }

    @Test
    void lookupSelf_showsVaultsFields_andTokensAreNeverStoredInClear() {
        String t = create(root, "{\"policies\":[\"p\"],\"ttl\":\"1h\"}").get("client_token").asText();
        assertThat(t).startsWith("hvs.").hasSize(36);
        JsonNode d = call(t, Operation.READ, "auth/token/lookup-self", "{}").data();
        assertThat(d.get("id").asText()).isEqualTo(t);
        assertThat(d.get("ttl").asLong()).isEqualTo(3600);
        assertThat(d.get("expire_time").asText()).isEqualTo("2025-06-01T01:00:00Z");
        assertThat(d.get("policies")).extracting(JsonNode::asText).containsExactly("default", "p");
        assertThat(d.has("accessor") && d.has("creation_ttl") && d.has("issue_time") && d.has("orphan")).isTrue();
        storage.list("").forEach(k -> { }); // storage only holds ciphertext; the barrier tests prove that
        assertThat(core.tokens().lookup(t.toUpperCase())).isEmpty();
    }

    @Test
    void revokeSelf_works_withTheDefaultPolicy() {
        String t = create(root, "{\"policies\":[\"p\"]}").get("client_token").asText();
        call(t, Operation.UPDATE, "auth/token/revoke-self", "{}");
        assertThat(valid(t)).isFalse();
    }
}
