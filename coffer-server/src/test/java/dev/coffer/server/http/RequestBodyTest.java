package dev.coffer.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.http.TestServer.Res;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the listener reads JSON bodies: sized by Content-Length or streamed (chunked), blank bodies as {@code {}}. */
class RequestBodyTest {
    private static final int MAX_BODY = 4096;
    @RegisterExtension
    final TestServerExtension fixture = TestServerExtension.dev(MAX_BODY);

    @Test
    void blankCheckAgreesWithStringIsBlank() {
        byte[][] pieces = {" ".getBytes(UTF_8), "\t\n\r\u000b\f\u001c\u001f".getBytes(UTF_8), "\u2003".getBytes(UTF_8),
                "\u00a0".getBytes(UTF_8), "{".getBytes(UTF_8), "x".getBytes(UTF_8), "é".getBytes(UTF_8),
                {(byte) 0xff}, {(byte) 0xe2, (byte) 0x80}, {0}};
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            var body = new java.io.ByteArrayOutputStream();
            int n = random.nextInt(6);
            for (int j = 0; j < n; j++) {
                body.writeBytes(pieces[random.nextInt(pieces.length)]);
            }
            byte[] bytes = body.toByteArray();
            assertThat(ApiHandler.isBlank(bytes)).as("%s", java.util.HexFormat.of().formatHex(bytes))
                    .isEqualTo(new String(bytes, UTF_8).isBlank());
        }
    }

    @Test
    void aBlankBodyIsAnEmptyObjectAndAnythingElseMustBeJson() {
        assertThat(fixture.server().call("PUT", "secret/data/a", " \r\n\t").errors()).contains("no data provided");
        assertThat(fixture.server().call("PUT", "secret/data/a", "\u2003\n").errors()).contains("no data provided");
        assertThat(fixture.server().call("PUT", "secret/data/a", " \n x").errors()).contains("failed to parse JSON");
        assertThat(fixture.server().call("PUT", "secret/data/a", "\u2003x").errors())
                .contains("failed to parse JSON");
    }

    @Test
    void bodiesWithAndWithoutContentLengthReadTheSame() throws Exception {
        String json = "{\"data\":{\"k\":\"" + "v".repeat(MAX_BODY - 40) + "\"}}";
        assertThat(fixture.server().call("PUT", "secret/data/sized", json).status()).isEqualTo(200);
        HttpRequest chunked = HttpRequest.newBuilder(fixture.server().uri("secret/data/chunked"))
                .header("X-Vault-Token", "root")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json.getBytes(UTF_8))))
                .build();
        assertThat(fixture.server().http().send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        Res sized = fixture.server().call("GET", "secret/data/sized", null);
        Res streamed = fixture.server().call("GET", "secret/data/chunked", null);
        assertThat(sized.body().at("/data/data")).isEqualTo(streamed.body().at("/data/data"));
        assertThat(sized.body().at("/data/data/k").asText()).hasSize(MAX_BODY - 40);
    }
}
