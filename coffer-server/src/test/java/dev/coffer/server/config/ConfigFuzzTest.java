package dev.coffer.server.config;

import dev.coffer.hcl.ConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Damaged configurations (flipped characters, truncation, inserted braces, quotes, brackets, heredoc
 * markers) must either load or fail with {@link ConfigException}: never an NPE, an index error or a stack
 * overflow, and never slowly.
 */
class ConfigFuzzTest {
    private static final List<String> FILES = List.of("seed-vault.hcl", "seed-vault.json", "docs-file-awskms.hcl",
            "docs-file-awskms.json", "docs-gcpckms.hcl", "docs-transit.hcl");
    private static final String NOISE = "{}[]\"=,#/*<<-\\\n \t0a-.:u$\u0000\u00e9\uFEFF";

    @Provide
    Arbitrary<String> validFiles() {
        return Arbitraries.of(FILES);
    }

    @Property(tries = 3000)
    void mutatedConfigs_failOnlyWithConfigException(@ForAll("validFiles") String file, @ForAll long seed) {
        Random random = new Random(seed);
        String text = TestConfigs.resource(file);
        int mutations = 1 + random.nextInt(6);
        for (int i = 0; i < mutations; i++) {
            text = mutate(text, random);
        }
        for (String name : List.of(file, "vault.conf")) {
            loadWithin(name, text);
        }
    }

    @Property(tries = 200)
    void randomNesting_isRefusedCleanly(@ForAll long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder("a = ");
        int length = 50 + random.nextInt(5000);
        for (int i = 0; i < length; i++) {
            text.append("[{\"x = ".charAt(random.nextInt(7)));
        }
        loadWithin("deep.hcl", text.toString());
        loadWithin("deep.json", "{\"a\":" + text.substring(4));
    }

    private static void loadWithin(String name, String text) {
        long start = System.nanoTime();
        try {
            ConfigLoader.parse(name, text);
        } catch (ConfigException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (RuntimeException | StackOverflowError e) {
            fail("unexpected " + e + " for " + name + ":\n" + text, e);
        }
        // a hang detector, not a performance check (that belongs in bench/): a parser that loops or backtracks
        // exponentially on some input takes far longer than this even on a loaded CI machine
        assertThat(System.nanoTime() - start).as("parse time (ns)").isLessThan(20_000_000_000L);
    }

    private static String mutate(String text, Random random) {
        if (text.isEmpty()) {
            return String.valueOf(NOISE.charAt(random.nextInt(NOISE.length())));
        }
        int at = random.nextInt(text.length());
        char noise = NOISE.charAt(random.nextInt(NOISE.length()));
        return switch (random.nextInt(5)) {
            case 0 -> text.substring(0, at) + noise + text.substring(at + 1);
            case 1 -> text.substring(0, at);
            case 2 -> text.substring(0, at) + noise + text.substring(at);
            case 3 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + random.nextInt(20)));
            default -> text.substring(0, at) + (char) random.nextInt(0x3000) + text.substring(at + 1);
        };
    }
}
