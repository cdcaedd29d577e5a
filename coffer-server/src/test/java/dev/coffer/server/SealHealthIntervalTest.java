package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.hcl.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealHealthIntervalTest {

    @Test
    void unsetMeansOneMinute() {
        assertThat(SealHealthInterval.fromEnvironment(Map.of())).isEqualTo(Duration.ofMinutes(1));
        assertThat(SealHealthInterval.fromEnvironment(Map.of(SealHealthInterval.VARIABLE, " "))).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void goDurationIsUsed() {
        assertThat(SealHealthInterval.fromEnvironment(Map.of(SealHealthInterval.VARIABLE, "2s"))).isEqualTo(Duration.ofSeconds(2));
        assertThat(SealHealthInterval.fromEnvironment(Map.of(SealHealthInterval.VARIABLE, "5m"))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void belowOneSecondOrGarbageIsRefusedWithTheFix() {
        for (String bad : new String[] {"500ms", "soon", "-5s"}) {
            assertThatThrownBy(() -> SealHealthInterval.fromEnvironment(Map.of(SealHealthInterval.VARIABLE, bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(SealHealthInterval.VARIABLE).hasMessageContaining(bad).hasMessageContaining("30s");
        }
    }
}
