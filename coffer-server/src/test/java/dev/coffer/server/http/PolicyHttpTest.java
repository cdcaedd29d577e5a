package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.http.TestServer.Res;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tokens, policies, capabilities and generate-root over real HTTP. */
class PolicyHttpTest {
    private static final long MAX_BODY = 4096;
    @RegisterExtension
    final TestServerExtension fixture = TestServerExtension.uninitialized(MAX_BODY);

    private Res call(String method, String path, String body, String token) {
        return fixture.server().call(method, path, body, token);
    }

    private String tokenWith(String root, String policy) throws Exception {
        Res r = call("POST", "/v1/auth/token/create", "{\"policies\":[\"" + policy + "\"]}", root);
        assertThat(r.status()).isEqualTo(200);
        return r.body().get("auth").get("client_token").asText();
    }

    @Test
    void aTokenWithoutTheCapabilityGets403_andWithItGets200() throws Exception {
        String root = fixture.server().initAndUnseal().rootToken();
        Res put = call("PUT", "/v1/sys/policies/acl/Reader",
                "{\"policy\":\"path \\\"sys/key-status\\\" { capabilities = [\\\"read\\\"] }\"}", root);
        assertThat(put.status()).isEqualTo(204);
        String reader = tokenWith(root, "reader");
        String nobody = tokenWith(root, "default");

        assertThat(call("GET", "/v1/sys/key-status", null, reader).status()).isEqualTo(200);
        Res denied = call("GET", "/v1/sys/key-status", null, nobody);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.raw()).doesNotContain(nobody);
        assertThat(call("PUT", "/v1/sys/rotate", "{}", reader).status()).isEqualTo(403);
        assertThat(call("GET", "/v1/auth/token/lookup-self", null, nobody).status()).isEqualTo(200);
        assertThat(call("GET", "/v1/sys/policies/acl/reader", null, root).body().get("data").get("policy").asText())
                .contains("sys/key-status");
    }

    @Test
    void policyEndpoints_listReadDelete_andProtectRootAndDefault() throws Exception {
        String root = fixture.server().initAndUnseal().rootToken();
        assertThat(call("LIST", "/v1/sys/policies/acl", null, root).body().get("data").get("keys"))
                .extracting(JsonNode::asText).containsExactly("default", "root");
        Res legacy = call("GET", "/v1/sys/policy", null, root);
        assertThat(legacy.body().get("policies")).extracting(JsonNode::asText).containsExactly("default", "root");
        assertThat(call("DELETE", "/v1/sys/policies/acl/root", null, root).status()).isEqualTo(400);
        assertThat(call("DELETE", "/v1/sys/policies/acl/default", null, root).status()).isEqualTo(400);
        assertThat(call("PUT", "/v1/sys/policies/acl/root", "{\"policy\":\"path \\\"a\\\" {capabilities=[\\\"read\\\"]}\"}",
                root).status()).isEqualTo(400);
        Res bad = call("PUT", "/v1/sys/policy/bad", "{\"rules\":\"path \\\"a\\\" {\\n capabilities = [\\\"nope\\\"]\\n}\"}", root);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("errors").get(0).asText()).contains("bad.hcl:2:");
        assertThat(call("GET", "/v1/sys/policies/acl/missing", null, root).status()).isEqualTo(404);
    }

    @Test
    void capabilitiesSelf_andCapabilitiesOfAnotherToken() throws Exception {
        String root = fixture.server().initAndUnseal().rootToken();
        String t = tokenWith(root, "default");
        Res self = call("PUT", "/v1/sys/capabilities-self", "{\"paths\":[\"auth/token/renew-self\"]}", t);
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.body().get("capabilities")).extracting(JsonNode::asText).containsExactly("update");
        assertThat(call("PUT", "/v1/sys/capabilities", "{\"token\":\"" + root + "\",\"paths\":[\"x\"]}", t).status())
                .isEqualTo(403);
        Res other = call("PUT", "/v1/sys/capabilities", "{\"token\":\"" + t + "\",\"path\":\"secret/x\"}", root);
        assertThat(other.body().get("capabilities")).extracting(JsonNode::asText).containsExactly("deny");
    }

    @Test
    void generateRoot_endToEnd_withAnOtp() throws Exception {
        List<String> initKeys = fixture.server().initAndUnseal().keys();
        assertThat(call("PUT", "/v1/sys/generate-root/attempt", "{\"pgp_key\":\"abc\"}", null).status()).isEqualTo(400);
        Res start = call("PUT", "/v1/sys/generate-root/attempt", "{}", null);
        String otp = start.body().get("otp").asText();
        String nonce = start.body().get("nonce").asText();
        assertThat(otp).hasSize(start.body().get("otp_length").asInt());
        assertThat(initKeys).hasSizeGreaterThanOrEqualTo(2);
        call("PUT", "/v1/sys/generate-root/update", "{\"key\":\"" + initKeys.get(0) + "\",\"nonce\":\"" + nonce + "\"}", null);
        Res done = call("PUT", "/v1/sys/generate-root/update", "{\"key\":\"" + initKeys.get(1) + "\",\"nonce\":\"" + nonce + "\"}", null);
        assertThat(done.body().get("complete").asBoolean()).isTrue();
        String token = dev.coffer.core.GenerateRootFlow.decode(done.body().get("encoded_token").asText(), otp);
        Res lookup = call("GET", "/v1/auth/token/lookup-self", null, token);
        assertThat(lookup.body().get("data").get("policies")).extracting(JsonNode::asText).containsExactly("root");
    }
}
