package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.http.TestServer.Res;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The mount API and the KV engine over real HTTP against an in-process dev-mode server. */
class MountAndKvHttpTest {
    @RegisterExtension
    final TestServerExtension fixture = TestServerExtension.dev(1 << 20);

    private Res call(String method, String path, String body) {
        return fixture.server().call(method, path, body);
    }

    @Test
    void devMode_mountsKvVersion2AtSecret() throws Exception {
        Res mounts = call("GET", "sys/mounts", null);
        assertThat(mounts.status()).isEqualTo(200);
        JsonNode secret = mounts.body().at("/data/secret~1");
        assertThat(secret.get("type").asText()).isEqualTo("kv");
        assertThat(secret.at("/options/version").asText()).isEqualTo("2");
        assertThat(secret.at("/config/default_lease_ttl").asLong()).isZero();
        assertThat(mounts.body().at("/secret~1/accessor").asText()).startsWith("kv_");
    }

    @Test
    void kvV2_writeReadPatchDeleteOverHttp() throws Exception {
        Res w = call("POST", "secret/data/app", "{\"data\":{\"a\":\"1\",\"b\":\"2\"}}");
        assertThat(w.status()).isEqualTo(200);
        assertThat(w.body().at("/data/version").asInt()).isEqualTo(1);

        assertThat(call("PATCH", "secret/data/app", "{\"data\":{\"b\":null}}").status()).isEqualTo(200);
        Res r = call("GET", "secret/data/app?version=2", null);
        assertThat(r.body().at("/data/data")).isEqualTo(TestServer.JSON.readTree("{\"a\":\"1\"}"));

        Res cas = call("PUT", "secret/data/app", "{\"options\":{\"cas\":1},\"data\":{\"a\":\"x\"}}");
        assertThat(cas.status()).isEqualTo(400);
        assertThat(cas.body().at("/errors/0").asText()).isEqualTo("check-and-set parameter did not match the current version");

        assertThat(call("DELETE", "secret/data/app", null).status()).isEqualTo(204);
        Res deleted = call("GET", "secret/data/app", null);
        assertThat(deleted.status()).isEqualTo(404);
        assertThat(deleted.body().at("/data/metadata/version").asInt()).isEqualTo(2);
        assertThat(deleted.body().at("/data/metadata/deletion_time").asText()).isNotEmpty();

        Res missing = call("GET", "secret/data/nothing", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo(TestServer.JSON.readTree("{\"errors\":[]}"));
    }

    @Test
    void listWorksWithTheVerbAndTheQueryParameter() throws Exception {
        call("POST", "secret/data/a/b", "{\"data\":{\"x\":\"1\"}}");
        call("POST", "secret/data/c", "{\"data\":{\"x\":\"1\"}}");
        assertThat(call("LIST", "secret/metadata", null).body().at("/data/keys")).isEqualTo(TestServer.JSON.readTree("[\"a/\",\"c\"]"));
        assertThat(call("GET", "secret/metadata/a?list=true", null).body().at("/data/keys"))
                .isEqualTo(TestServer.JSON.readTree("[\"b\"]"));
    }

    @Test
    void enableTuneAndDisable_andRemountIsEmpty() throws Exception {
        Res enable = call("POST", "sys/mounts/kv1", "{\"type\":\"kv\",\"description\":\"team\","
                + "\"config\":{\"default_lease_ttl\":\"1h\",\"max_lease_ttl\":7200}}");
        assertThat(enable.status()).isEqualTo(204);
        assertThat(call("PUT", "kv1/db", "{\"password\":\"p\"}").status()).isEqualTo(204);
        Res read = call("GET", "kv1/db", null);
        assertThat(read.body().at("/data/password").asText()).isEqualTo("p");
        assertThat(read.body().get("lease_duration").asLong()).isEqualTo(3600);

        assertThat(call("POST", "sys/mounts/kv1/tune", "{\"default_lease_ttl\":\"30m\",\"description\":\"tuned\"}").status())
                .isEqualTo(204);
        Res tune = call("GET", "sys/mounts/kv1/tune", null);
        assertThat(tune.body().at("/data/default_lease_ttl").asLong()).isEqualTo(1800);
        assertThat(tune.body().at("/data/max_lease_ttl").asLong()).isEqualTo(7200);
        assertThat(call("GET", "sys/mounts/kv1", null).body().at("/data/description").asText()).isEqualTo("tuned");
        assertThat(call("GET", "kv1/db", null).body().get("lease_duration").asLong()).isEqualTo(1800);

        assertThat(call("DELETE", "sys/mounts/kv1", null).status()).isEqualTo(204);
        assertThat(call("GET", "kv1/db", null).status()).isEqualTo(404);
        call("POST", "sys/mounts/kv1", "{\"type\":\"kv\"}");
        assertThat(call("GET", "kv1/db", null).status()).isEqualTo(404);
    }

    @Test
    void kvV2Alias_andBadInputSayWhatToFix() throws Exception {
        assertThat(call("POST", "sys/mounts/v2", "{\"type\":\"kv-v2\"}").status()).isEqualTo(204);
        Res ui = call("GET", "sys/internal/ui/mounts/v2/some/key", null);
        assertThat(ui.body().at("/data/path").asText()).isEqualTo("v2/");
        assertThat(ui.body().at("/data/type").asText()).isEqualTo("kv");
        assertThat(ui.body().at("/data/options/version").asText()).isEqualTo("2");

        Res noType = call("POST", "sys/mounts/x", "{}");
        assertThat(noType.status()).isEqualTo(400);
        assertThat(noType.body().at("/errors/0").asText()).contains("\"type\" is required");
        assertThat(call("POST", "sys/mounts/secret", "{\"type\":\"kv\"}").body().at("/errors/0").asText())
                .contains("already in use");
        assertThat(call("POST", "sys/mounts/v2/tune", "{\"options\":{\"version\":\"1\"}}").status()).isEqualTo(400);
        assertThat(call("POST", "sys/mounts/bad", "{\"type\":\"kv\",\"options\":{\"version\":\"7\"}}").status())
                .isEqualTo(400);
    }

    @Test
    void authMethods_listAndRejectUnknownTypes() throws Exception {
        Res list = call("GET", "sys/auth", null);
        assertThat(list.status()).isEqualTo(200);
        Res unknown = call("POST", "sys/auth/corp", "{\"type\":\"no-such-method\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().at("/errors/0").asText()).contains("unknown auth method type");
        assertThat(call("DELETE", "sys/auth/not-there", null).status()).isEqualTo(204);
    }
}
