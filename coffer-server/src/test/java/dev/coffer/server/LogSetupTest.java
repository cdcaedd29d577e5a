package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {
    private final PrintStream original = System.out;

    @AfterEach
    void restore() {
        System.setOut(original);
        LogSetup.configure("info", "standard");
    }

    private String capture(String level, String format, Runnable logging) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        LogSetup.configure(level, format);
        logging.run();
        System.out.flush();
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
        String out = capture("info", "json", () -> LoggerFactory.getLogger("test.json").info("hello {}", "world"));
        String line = out.lines().filter(l -> l.contains("hello world")).findFirst().orElseThrow();
        JsonNode node = new ObjectMapper().readTree(line);
        assertThat(node.get("level").asText()).isEqualTo("INFO");
        assertThat(node.get("loggerName").asText()).isEqualTo("test.json");
    }

    @Test
    void standardFormatIsOneReadableLineWithLevelAndLogger() {
        String out = capture("info", "standard", () -> LoggerFactory.getLogger("test.std").warn("disk almost full"));
        assertThat(out).containsPattern("\\d{4}-\\d\\d-\\d\\dT[^ ]+ \\[WARN \\] std: disk almost full");
    }

    @Test
    void levelFiltersLowerLevels() {
        String out = capture("warn", "standard", () -> {
            LoggerFactory.getLogger("test.level").info("quiet");
            LoggerFactory.getLogger("test.level").error("loud");
        });
        assertThat(out).contains("loud").doesNotContain("quiet");
    }

    @Test
    void unknownLevelsAreRejectedWithTheAcceptedNames() {
        assertThat(LogSetup.parse("WARNING")).isEqualTo(Level.WARN);
        assertThatThrownBy(() -> LogSetup.parse("verbose")).hasMessageContaining("trace, debug, info, warn, error");
    }
}
