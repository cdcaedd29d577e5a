package dev.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationsTest {
    @Test
    void bareNumber_isSeconds() {
        assertThat(GoDurations.parse("45")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void goSyntax_isSummed() {
        assertThat(GoDurations.parse("1h2m3s")).isEqualTo(Duration.ofSeconds(3723));
        assertThat(GoDurations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(GoDurations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void garbage_fails() {
        assertThatThrownBy(() -> GoDurations.parse("10 s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDurations.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDurations.parse("5x")).isInstanceOf(IllegalArgumentException.class);
    }
}
