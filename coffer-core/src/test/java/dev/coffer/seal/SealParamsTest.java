package dev.coffer.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealParamsTest {

    private final SealParams params = new SealParams("xorkms", Map.of("key", " from-stanza ", "blank", "x"),
            Map.of("XOR_KEY", "from-env", "XOR_BLANK", "  "));

    @Test
    void get_prefersANonBlankEnvironmentVariable_andTrims() {
        assertThat(params.get("key", "XOR_KEY")).isEqualTo("from-env");
        assertThat(params.get("key", null)).isEqualTo("from-stanza");
        assertThat(params.get("blank", "XOR_BLANK")).isEqualTo("x");
        assertThat(params.get("missing", "XOR_MISSING")).isEmpty();
        assertThat(params.get(null, null)).isEmpty();
    }

    @Test
    void require_namesTheParameterTheVariableAndWhatItIs() {
        assertThatThrownBy(() -> params.require("key_name", "XOR_KEY_NAME", "the key's name"))
                .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(SealException.Reason.CONFIG))
                .hasMessage("xorkms seal: 'key_name' is required (the key's name): set it in the seal stanza or in the"
                        + " environment variable XOR_KEY_NAME");
    }

    @Test
    void httpUrl_acceptsHttpAndHttpsWithAHost() throws Exception {
        for (String url : new String[] {"https://kms.example.com", "HTTP://127.0.0.1:8200/path"}) {
            URI uri = new URI(url);
            assertThat(SealParams.httpUrl(uri, url)).isSameAs(uri);
        }
    }

    @Test
    void httpUrl_rejectsOtherSchemesAndUrlsWithoutAHost_namingTheConfiguredValue() {
        for (String url : new String[] {"ftp://kms.example.com", "kms.example.com", "https:///path", "mailto:a@b"}) {
            assertThatThrownBy(() -> SealParams.httpUrl(new URI(url), url + "/"))
                    .isInstanceOfSatisfying(URISyntaxException.class, e -> {
                        assertThat(e.getReason()).isEqualTo("not an http(s) URL with a host");
                        assertThat(e.getInput()).isEqualTo(url + "/");
                    });
        }
    }
}
