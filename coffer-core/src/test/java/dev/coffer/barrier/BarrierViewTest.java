package dev.coffer.barrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;

import java.security.SecureRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BarrierViewTest {

    private final MapStorage storage = new MapStorage();
    private final AesGcmBarrier barrier = new AesGcmBarrier(storage);
    private BarrierView view;

    @BeforeEach
    void unsealed() {
        byte[] root = new byte[32];
        new SecureRandom().nextBytes(root);
        barrier.initialize(root);
        barrier.unseal(root);
        view = new BarrierView(barrier, "logical/mount-a/");
    }

    @Test
    void keys_areStoredUnderThePrefix() {
        view.put("foo/bar", new byte[] {1});

        assertThat(storage.entries).containsKey("logical/mount-a/foo/bar");
        assertThat(barrier.get("logical/mount-a/foo/bar")).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
        assertThat(view.get("foo/bar")).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
        assertThat(view.list("")).containsExactly("foo/");
        assertThat(view.list("foo/")).containsExactly("bar");
    }

    @Test
    void anotherViewCannotSeeTheKeys() {
        view.put("secret", new byte[] {1});

        BarrierView other = new BarrierView(barrier, "logical/mount-b/");

        assertThat(other.get("secret")).isEmpty();
        assertThat(other.list("")).isEmpty();
    }

    @Test
    void keysThatTryToEscapeThePrefix_areRejected() {
        for (String bad : new String[] {"../mount-b/secret", "a/../../x", "..", "/core/keyring", "a/.."}) {
            assertThatThrownBy(() -> view.get(bad)).as(bad).isInstanceOf(CofferException.BadRequest.class);
            assertThatThrownBy(() -> view.put(bad, new byte[1])).as(bad).isInstanceOf(CofferException.BadRequest.class);
            assertThatThrownBy(() -> view.delete(bad)).as(bad).isInstanceOf(CofferException.BadRequest.class);
        }
        assertThatThrownBy(() -> view.list("../")).isInstanceOf(CofferException.BadRequest.class);
    }

    @Test
    void dotsInsideNames_areAllowed() {
        view.put("a..b/..c", new byte[] {2});

        assertThat(view.get("a..b/..c")).isPresent();
    }

    @Test
    void subView_nestsThePrefix() {
        view.subView("inner/").put("k", new byte[] {3});

        assertThat(storage.entries).containsKey("logical/mount-a/inner/k");
    }

    @Test
    void prefixWithoutTrailingSlash_isRejected() {
        assertThatThrownBy(() -> new BarrierView(barrier, "logical/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BarrierView(barrier, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BarrierView(barrier, "/logical/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BarrierView(barrier, "logical/../")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void escapeCheck_agreesWithSplittingIntoSegments() {
        char[] alphabet = {'/', '.', '.', 'a', '\u00e9'};
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder key = new StringBuilder();
            for (int n = random.nextInt(9); n > 0; n--) {
                key.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String k = key.toString();
            boolean expected = k.startsWith("/") || java.util.Arrays.asList(k.split("/", -1)).contains("..");
            assertThat(BarrierView.escapes(k)).as("'%s'", k).isEqualTo(expected);
        }
    }
}
