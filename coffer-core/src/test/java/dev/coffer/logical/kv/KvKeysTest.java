package dev.coffer.logical.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KvKeysTest {

    /** The rule as written before the in-place scan: split into segments, none empty, "." or "..". */
    private static boolean validBySplitting(String key) {
        if (key.isEmpty() || key.endsWith("/")) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    @Test
    void inPlaceScanAgreesWithSplitting() {
        char[] alphabet = {'/', '.', '.', 'a', 'b'};
        Random random = new Random(5);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder key = new StringBuilder();
            for (int n = random.nextInt(9); n > 0; n--) {
                key.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String k = key.toString();
            boolean expected = validBySplitting(k);
            assertThat(KvKeys.isValid(k)).as("'%s'", k).isEqualTo(expected);
            if (expected) {
                assertThatCode(() -> KvKeys.requireKey(k, "data/" + k)).doesNotThrowAnyException();
            } else {
                assertThatThrownBy(() -> KvKeys.requireKey(k, "data/" + k)).isInstanceOf(CofferException.BadRequest.class);
            }
        }
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertThatThrownBy(() -> KvKeys.requireKey("a/", "data/a/")).hasMessageContaining("missing key name");
        assertThatThrownBy(() -> KvKeys.requireKey("a/../b", "data/a/../b")).hasMessageContaining("'..' path segments");
        assertThatThrownBy(() -> KvKeys.requireKey("a//b", "data/a//b")).hasMessageContaining("empty, '.'");
        assertThat(KvKeys.isValid("...")).isTrue();
        assertThat(KvKeys.isValid(".a/b.")).isTrue();
    }
}
