package dev.coffer.server.config;

import dev.coffer.hcl.ConfigNode;
import dev.coffer.hcl.ConfigException;
import dev.coffer.hcl.Position;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.hcl.ConfigNode.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonConfigParserTest {

    @Test
    void positions_comeFromJacksonLocations() {
        ObjectNode root = JsonConfigParser.parse("c.json", "{\n  \"ui\": true,\n  \"n\": 8200\n}");
        assertThat(root.entries().get(0).position()).isEqualTo(new Position("c.json", 2, 3));
        assertThat(root.entries().get(1).value()).isEqualTo(new ConfigNode.Num("8200", new Position("c.json", 3, 8)));
    }

    @Test
    void wrongTypeInJson_pointsAtTheLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("c.json",
                "{\"storage\": {\"inmem\": {}},\n \"listener\": {\"tcp\": {\n \"tls_disable\": \"maybe\"}}}"))
                .hasMessage("c.json:3: key \"listener.tcp.tls_disable\": expected a boolean (true/false), got \"maybe\"");
    }

    @Test
    void syntaxError_hasFileLineAndColumn() {
        assertThatThrownBy(() -> JsonConfigParser.parse("c.json", "{\n \"ui\": true,,\n}"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("c.json:2:").hasMessageContaining("invalid JSON");
    }

    @Test
    void nonObjectRoot_nullValues_andTrailingContent_areRejected() {
        assertThatThrownBy(() -> JsonConfigParser.parse("c.json", "[1]")).hasMessageContaining("must be one object");
        assertThatThrownBy(() -> JsonConfigParser.parse("c.json", "{\"a\": null}")).hasMessageContaining("null");
        assertThatThrownBy(() -> JsonConfigParser.parse("c.json", "{} {}")).hasMessageContaining("exactly one object");
        assertThatThrownBy(() -> JsonConfigParser.parse("c.json", "")).isInstanceOf(ConfigException.class);
    }

    @Test
    void deepNesting_isAConfigException() {
        assertThatThrownBy(() -> JsonConfigParser.parse("c.json", "{\"a\":" + "[".repeat(5000)))
                .isInstanceOf(ConfigException.class);
    }
}
