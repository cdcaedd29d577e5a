package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.http.TestServer.Res;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sys API over real HTTP against an in-process server on a random port. */
class ApiHttpTest {
    private static final long MAX_BODY = 4096;
    @RegisterExtension
    final TestServerExtension fixture = TestServerExtension.uninitialized(MAX_BODY);

    private Res call(String method, String path, String body, String token) {
        return fixture.server().call(method, path, body, token);
    }

    @Test
    void uninitializedServerReports501OnHealthAndInitializedFalse() throws Exception {
        assertThat(call("GET", "/v1/sys/health", null, null).status()).isEqualTo(501);
        assertThat(call("GET", "/v1/sys/init", null, null).body().get("initialized").asBoolean()).isFalse();
        Res ss = call("GET", "/v1/sys/seal-status", null, null);
        assertThat(ss.body().get("initialized").asBoolean()).isFalse();
        assertThat(ss.body().get("type").asText()).isEqualTo("shamir");
        assertThat(ss.body().get("storage_type").asText()).isEqualTo("inmem");
    }

    @Test
    void initUnsealAndHealthFollowTheLifecycle() throws Exception {
        Res init = call("PUT", "/v1/sys/init", "{\"secret_shares\":5,\"secret_threshold\":3}", null);
        assertThat(init.body().get("keys")).hasSize(5);
        assertThat(init.body().get("keys_base64")).hasSize(5);
        assertThat(init.body().get("root_token").asText()).startsWith("hvs.");
        assertThat(call("GET", "/v1/sys/health", null, null).status()).isEqualTo(503);
        assertThat(call("GET", "/v1/sys/health?sealedcode=299", null, null).status()).isEqualTo(299);
        Res p1 = call("POST", "/v1/sys/unseal", "{\"key\":\"" + init.body().get("keys").get(1).asText() + "\"}", null);
        assertThat(p1.body().get("progress").asInt()).isEqualTo(1);
        assertThat(p1.body().get("t").asInt()).isEqualTo(3);
        Res reset = call("PUT", "/v1/sys/unseal", "{\"reset\":true}", null);
        assertThat(reset.body().get("progress").asInt()).isZero();
        for (int i = 0; i < 3; i++) {
            call("PUT", "/v1/sys/unseal", "{\"key\":\"" + init.body().get("keys").get(i).asText() + "\"}", null);
        }
        Res health = call("GET", "/v1/sys/health", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("sealed").asBoolean()).isFalse();
        assertThat(health.body().get("cluster_id").asText()).isNotBlank();
        assertThat(call("GET", "/v1/sys/health?activecode=204", null, null).status()).isEqualTo(204);
        assertThat(call("GET", "/v1/sys/health?activecode=abc", null, null).status()).isEqualTo(400);
    }

    @Test
    void wrongUnsealKeyIs400AndProgressStays() throws Exception {
        Res init = call("PUT", "/v1/sys/init", "{\"secret_shares\":3,\"secret_threshold\":2}", null);
        call("PUT", "/v1/sys/unseal", "{\"key\":\"" + init.body().get("keys").get(0).asText() + "\"}", null);
        Res wrong = call("PUT", "/v1/sys/unseal", "{\"key\":\"" + "ab".repeat(33) + "\"}", null);
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body().get("errors").get(0).asText()).contains("not one of");
        assertThat(call("GET", "/v1/sys/seal-status", null, null).body().get("progress").asInt()).isEqualTo(1);
        assertThat(call("PUT", "/v1/sys/unseal", "{}", null).status()).isEqualTo(400);
        assertThat(call("PUT", "/v1/sys/unseal", "{\"key\": 12}", null).status()).isEqualTo(400);
    }

    @Test
    void malformedBodiesAndWrongTypesAre400() throws Exception {
        Res bad = call("PUT", "/v1/sys/init", "{\"secret_shares\":", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("errors").get(0).asText()).contains("failed to parse JSON");
        assertThat(call("PUT", "/v1/sys/init", "[1,2]", null).status()).isEqualTo(400);
        Res wrongType = call("PUT", "/v1/sys/init", "{\"secret_shares\":\"five\",\"secret_threshold\":3}", null);
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().get("errors").get(0).asText()).contains("secret_shares").contains("integer");
        assertThat(call("PUT", "/v1/sys/init", "{\"secret_shares\":5,\"secret_threshold\":3,\"pgp_keys\":[\"x\"]}", null)
                .status()).isEqualTo(400);
        assertThat(call("GET", "/v1/sys/init", null, null).body().get("initialized").asBoolean()).isFalse();
    }

    @Test
    void oversizedBodiesAre413WhateverTheTransferEncoding() throws Exception {
        String big = "{\"secret_shares\":5,\"pad\":\"" + "x".repeat((int) MAX_BODY) + "\"}";
        Res r = call("PUT", "/v1/sys/init", big, null);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body().get("errors").get(0).asText()).contains("max_request_size");
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(fixture.server().url() + "/v1/sys/init"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build();
        assertThat(fixture.server().http().send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(413);
        assertThat(call("GET", "/v1/sys/init", null, null).body().get("initialized").asBoolean()).isFalse();
    }

    @Test
    void sealedServerAnswers503OnEverythingButTheSealEndpoints() throws Exception {
        call("PUT", "/v1/sys/init", "{\"secret_shares\":1,\"secret_threshold\":1}", null);
        for (String p : new String[] {"/v1/sys/key-status", "/v1/sys/leader", "/v1/secret/foo", "/v1/sys/rotate/config"}) {
            Res r = call("GET", p, null, "whatever");
            assertThat(r.status()).as(p).isEqualTo(503);
            assertThat(r.body().get("errors").get(0).asText()).contains("sealed");
        }
    }

    @Test
    void tokenProtectedEndpointsAre403WithoutAValidToken() throws Exception {
        fixture.server().initAndUnseal();
        String[][] calls = {{"PUT", "/v1/sys/seal"}, {"PUT", "/v1/sys/rotate"}, {"GET", "/v1/sys/key-status"},
            {"GET", "/v1/sys/rotate/config"}, {"PUT", "/v1/sys/rotate/config"}, {"GET", "/v1/no/such/path"}};
        for (String[] c : calls) {
            assertThat(call(c[0], c[1], null, null).status()).as("%s %s without token", c[0], c[1]).isEqualTo(403);
            assertThat(call(c[0], c[1], null, "hvs.invalid").status()).as("%s %s bad token", c[0], c[1]).isEqualTo(403);
        }
        assertThat(fixture.server().core().sealed()).isFalse();
    }

    @Test
    void unknownPathsAre404AndWrongMethodsAre405() throws Exception {
        String root = fixture.server().initAndUnseal().rootToken();
        Res unknown = call("GET", "/v1/no/such/path", null, root);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("errors").get(0).asText()).contains("no handler");
        assertThat(call("LIST", "/v1/no/such/path", null, root).status()).isEqualTo(404);
        assertThat(call("GET", "/not-v1", null, root).status()).isEqualTo(404);
        Res wrong = call("DELETE", "/v1/sys/seal-status", null, root);
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(call("GET", "/v1/sys/seal", null, root).status()).isEqualTo(405);
    }

    @Test
    void bearerTokensWorkLikeTheVaultHeader() throws Exception {
        String root = fixture.server().initAndUnseal().rootToken();
        HttpRequest r = HttpRequest.newBuilder(URI.create(fixture.server().url() + "/v1/sys/key-status"))
                .header("Authorization", "Bearer " + root).GET().build();
        assertThat(fixture.server().http().send(r, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void rotateAddsATermAndKeyStatusShowsIt() throws Exception {
        String root = fixture.server().initAndUnseal().rootToken();
        Res before = call("GET", "/v1/sys/key-status", null, root);
        assertThat(before.body().get("data").get("term").asInt()).isEqualTo(1);
        assertThat(before.body().get("term").asInt()).isEqualTo(1);
        assertThat(call("PUT", "/v1/sys/rotate", null, root).status()).isEqualTo(204);
        assertThat(call("GET", "/v1/sys/key-status", null, root).body().get("data").get("term").asInt()).isEqualTo(2);
    }

    @Test
    void rotateConfigIsValidatedAndPersisted() throws Exception {
        String root = fixture.server().initAndUnseal().rootToken();
        assertThat(call("PUT", "/v1/sys/rotate/config", "{\"interval\":\"1h\"}", root).status()).isEqualTo(400);
        assertThat(call("PUT", "/v1/sys/rotate/config", "{\"interval\":\"soon\"}", root).status()).isEqualTo(400);
        assertThat(call("PUT", "/v1/sys/rotate/config", "{\"max_operations\":1000000,\"interval\":\"48h\"}", root).status())
                .isEqualTo(204);
        JsonNode data = call("GET", "/v1/sys/rotate/config", null, root).body().get("data");
        assertThat(data.get("max_operations").asLong()).isEqualTo(1_000_000L);
        assertThat(data.get("interval").asText()).isEqualTo("48h0m0s");
        assertThat(data.get("enabled").asBoolean()).isTrue();
    }

    @Test
    void sealWithRootTokenSealsAndLeaderReportsThisNode() throws Exception {
        String root = fixture.server().initAndUnseal().rootToken();
        Res leader = call("GET", "/v1/sys/leader", null, null);
        assertThat(leader.body().get("ha_enabled").asBoolean()).isFalse();
        assertThat(leader.body().get("is_self").asBoolean()).isTrue();
        assertThat(call("PUT", "/v1/sys/seal", null, root).status()).isEqualTo(204);
        assertThat(call("GET", "/v1/sys/seal-status", null, null).body().get("sealed").asBoolean()).isTrue();
    }

    @Test
    void rekeyOverHttpReplacesTheKeys() throws Exception {
        Res init = call("PUT", "/v1/sys/init", "{\"secret_shares\":1,\"secret_threshold\":1}", null);
        String key = init.body().get("keys").get(0).asText();
        call("PUT", "/v1/sys/unseal", "{\"key\":\"" + key + "\"}", null);
        Res started = call("PUT", "/v1/sys/rekey/init", "{\"secret_shares\":3,\"secret_threshold\":2}", null);
        assertThat(started.body().get("started").asBoolean()).isTrue();
        String nonce = started.body().get("nonce").asText();
        assertThat(call("GET", "/v1/sys/rekey/init", null, null).body().get("nonce").asText()).isEqualTo(nonce);
        Res done = call("PUT", "/v1/sys/rekey/update", "{\"key\":\"" + key + "\",\"nonce\":\"" + nonce + "\"}", null);
        assertThat(done.body().get("complete").asBoolean()).isTrue();
        assertThat(done.body().get("keys_base64")).hasSize(3);
        assertThat(call("PUT", "/v1/sys/rekey/init", "{\"secret_shares\":3,\"secret_threshold\":2,\"require_verification\":true}",
                null).status()).isEqualTo(400);
    }

    @Test
    void randomGarbageNeverCausesA500OrStopsTheServer() throws Exception {
        String root = fixture.server().initAndUnseal().rootToken();
        Random rnd = new Random(42);
        String[] paths = {"/v1/sys/init", "/v1/sys/unseal", "/v1/sys/seal-status", "/v1/sys/health", "/v1/sys/rotate/config",
            "/v1/sys/rekey/init", "/v1/sys/rekey/update", "/v1/sys/key-status", "/v1/sys/leader"};
        String[] fragments = {"{", "}", "\"key\"", ":", "null", "[", "]", "1e999", "\"reset\"", "true", ",", "\"\\u0000\"",
            "\"secret_shares\"", "-1", "\"nonce\"", "{\"a\":{\"b\":[]}}", "\"interval\"", "\"max_operations\""};
        for (int i = 0; i < 300; i++) {
            StringBuilder body = new StringBuilder();
            int n = rnd.nextInt(8);
            for (int j = 0; j < n; j++) {
                body.append(fragments[rnd.nextInt(fragments.length)]);
            }
            String path = paths[rnd.nextInt(paths.length)];
            String method = new String[] {"GET", "PUT", "POST", "DELETE", "LIST"}[rnd.nextInt(5)];
            if (path.equals("/v1/sys/rotate/config") || path.equals("/v1/sys/rekey/init") || path.equals("/v1/sys/rekey/update")) {
                method = "GET";
            }
            Res r = call(method, path, body.toString(), rnd.nextBoolean() ? root : null);
            assertThat(r.status()).as("%s %s %s", method, path, body).isLessThan(500);
            if (r.status() >= 400) {
                assertThat(r.body().get("errors")).as("%s %s %s", method, path, body).isNotNull();
            }
        }
        assertThat(call("GET", "/v1/sys/health", null, null).status()).isEqualTo(200);
    }
}
