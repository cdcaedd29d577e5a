package dev.coffer.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentKmsWrapperFactoryTest {

    /** Builds a {@link TestKms} and remembers what it was built from. */
    private static final class RecordingFactory extends EnvironmentKmsWrapperFactory<TestKms> {
        Map<String, String> stanza;
        Map<String, String> env;

        RecordingFactory(Map<String, String> env) {
            super("recording", env);
        }

        @Override
        protected TestKms build(Map<String, String> stanza, Map<String, String> env) {
            this.stanza = stanza;
            this.env = env;
            return new TestKms();
        }
    }

    @Test
    void create_buildsFromTheStanzaAndACopyOfTheEnvironmentGivenAtConstruction() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("VAR", "at-construction"));
        RecordingFactory factory = new RecordingFactory(env);
        env.put("VAR", "changed-later");
        Map<String, String> stanza = Map.of("key", "value");

        TestKms built = factory.create(stanza);

        assertThat(built).isNotNull();
        assertThat(factory.type()).isEqualTo("recording");
        assertThat(factory.stanza).isSameAs(stanza);
        assertThat(factory.env).containsExactly(Map.entry("VAR", "at-construction"));
    }

    @Test
    void aMissingEnvironment_isRejected() {
        assertThatThrownBy(() -> new RecordingFactory(null)).isInstanceOf(NullPointerException.class).hasMessage("env");
    }
}
