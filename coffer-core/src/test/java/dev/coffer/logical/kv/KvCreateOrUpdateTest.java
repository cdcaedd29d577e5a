package dev.coffer.logical.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.Operation;
import dev.coffer.token.TokenRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A write to {@code data/<key>} needs "create" when the key has no current version and "update" when it has one,
 * decided by the engine's existence check before the ACL.
 */
class KvCreateOrUpdateTest {
    private final KvHarness kv = new KvHarness();

    @AfterEach
    void close() {
        kv.close();
    }

    private String tokenWith(String capability) {
        kv.core.policies().put(capability + "-only",
                "path \"secret/data/*\" { capabilities = [\"" + capability + "\", \"read\"] }");
        return kv.core.tokens().create(TokenRequest.child(null, List.of(capability + "-only"), null)).token();
    }

    private void write(String token, String key) {
        ObjectNode body = (ObjectNode) KvHarness.read("{\"data\":{\"v\":\"" + key + "\"}}");
        kv.core.handle(new LogicalRequest("t", Operation.UPDATE, "secret/data/" + key, null, null, body, token, null,
                "127.0.0.1", Map.of()));
    }

    @Test
    void createIsNeededForANewKeyAndUpdateForAnExistingOne() {
        String create = tokenWith("create");
        String update = tokenWith("update");
        assertThatThrownBy(() -> write(update, "fresh")).isInstanceOf(CofferException.PermissionDenied.class)
                .hasMessageContaining("create");
        write(create, "fresh");
        assertThatThrownBy(() -> write(create, "fresh")).isInstanceOf(CofferException.PermissionDenied.class)
                .hasMessageContaining("update");
        write(update, "fresh");
        assertThat(kv.get("secret/data/fresh").data().at("/metadata/version").asInt()).isEqualTo(2);
    }

    @Test
    void aKeyWhoseVersionsWereAllDeletedByMetadataDeleteNeedsCreateAgain() {
        String create = tokenWith("create");
        String update = tokenWith("update");
        kv.put("secret/data/k", "{\"data\":{\"a\":\"1\"}}");
        write(update, "k");
        kv.call(Operation.DELETE, "secret/metadata/k", null);
        assertThatThrownBy(() -> write(update, "k")).isInstanceOf(CofferException.PermissionDenied.class);
        write(create, "k");
    }

    @Test
    void theShortCheckAgreesWithTheFullParseOnEveryWrittenShape() throws Exception {
        java.util.Random r = new java.util.Random(9);
        for (int i = 0; i < 2_000; i++) {
            KeyMetadata m = KeyMetadata.fresh(java.time.Instant.ofEpochSecond(r.nextInt(2_000_000_000)));
            for (int n = r.nextInt(14); n > 0; n--) {
                m.addVersion(java.time.Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1_000_000_000)),
                        r.nextInt(3) == 0 ? r.nextInt(1000) : 0);
                m.trimTo(10);
            }
            m.currentVersion = r.nextInt(5) == 0 ? 0 : m.currentVersion;
            byte[] json = KvV2Store.MAPPER.writeValueAsBytes(m);
            assertThat(KeyMetadataJson.currentVersion(json)).isEqualTo(m.currentVersion);
        }
        assertThat(KeyMetadataJson.currentVersion("{\"current_version\":-3}".getBytes())).isEqualTo(-1);
        assertThat(KeyMetadataJson.currentVersion("{\"max_versions\":1,\"current_version\":3}".getBytes())).isEqualTo(-1);
        assertThat(KeyMetadataJson.currentVersion("{\"created_time\":null,\"current_version\":3}".getBytes())).isEqualTo(-1);
        assertThat(KeyMetadataJson.currentVersion("{\"current_version\":\"3\"}".getBytes())).isEqualTo(-1);
        assertThat(KeyMetadataJson.currentVersion("{\"created_time\":\"x\",\"current_version\":3,".getBytes())).isEqualTo(3);
    }
}
