package dev.coffer.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.hcl.ConfigException;
import org.junit.jupiter.api.Test;

/** Vault's top-level {@code disable_cache} and {@code cache_size}: the storage read cache. */
class CacheConfigTest {
    private static final String BASE = "storage \"inmem\" {}\nlistener \"tcp\" { tls_disable = true }\n"
            + "disable_mlock = true\n";

    private static ServerConfig parse(String text) {
        return ConfigLoader.parse("vault.hcl", text);
    }

    @Test
    void withoutSettingsTheCacheIsOnWithVaultsDefaultSize() {
        ServerConfig c = parse(BASE);
        assertThat(c.disableCache()).isFalse();
        assertThat(c.cacheSize()).isEqualTo(131_072);
        assertThat(c.readCacheEntries()).isEqualTo(131_072);
    }

    @Test
    void cacheSizeIsANumberOrAStringOfOne_andZeroMeansTheDefault() {
        assertThat(parse(BASE + "cache_size = 1000").readCacheEntries()).isEqualTo(1000);
        assertThat(parse(BASE + "cache_size = \"262144\"").readCacheEntries()).isEqualTo(262_144);
        assertThat(parse(BASE + "cache_size = \" 5 \"").readCacheEntries()).isEqualTo(5);
        assertThat(parse(BASE + "cache_size = 0").readCacheEntries()).isEqualTo(131_072);
        assertThat(parse(BASE + "cache_size = 2147483647").readCacheEntries()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void disableCacheTurnsItOff_andACacheSizeBesideItIsReported() {
        assertThat(parse(BASE + "disable_cache = true").readCacheEntries()).isZero();
        assertThat(parse(BASE + "disable_cache = \"true\"").readCacheEntries()).isZero();
        assertThat(parse(BASE + "disable_cache = false").readCacheEntries()).isEqualTo(131_072);
        assertThat(parse(BASE + "disable_cache = true").warnings()).isEmpty();

        ServerConfig both = parse(BASE + "disable_cache = true\ncache_size = 10\n");
        assertThat(both.readCacheEntries()).isZero();
        assertThat(both.warnings()).singleElement().asString()
                .isEqualTo("vault.hcl:5: cache_size has no effect: disable_cache = true turns the storage read cache off");
    }

    @Test
    void badCacheSizesAreRefusedWithFileLineAndWhatIsAllowed() {
        for (String bad : new String[] {"-1", "\"-5\"", "1.5", "\"lots\"", "\"10k\"", "2147483648", "99999999999",
                "true", "[1]"}) {
            assertThatThrownBy(() -> parse(BASE + "cache_size = " + bad)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("vault.hcl:4: key \"cache_size\": expected a whole number of entries from 1"
                            + " to 2147483647 (0 or no setting: the default, 131072; disable_cache = true turns the"
                            + " cache off), got ");
        }
        assertThatThrownBy(() -> parse(BASE + "cache_size = \"lots\"")).hasMessageEndingWith("got \"lots\"");
    }

    @Test
    void badDisableCacheIsRefused() {
        assertThatThrownBy(() -> parse(BASE + "disable_cache = \"sometimes\""))
                .isInstanceOf(ConfigException.class)
                .hasMessage("vault.hcl:4: key \"disable_cache\": expected a boolean (true/false), got \"sometimes\"");
    }

    @Test
    void theJsonFormReadsTheSame() {
        ServerConfig c = ConfigLoader.parse("vault.json", "{\"storage\": {\"inmem\": {}}, \"listener\": {\"tcp\":"
                + " {\"tls_disable\": true}}, \"disable_mlock\": true, \"cache_size\": \"4096\", \"disable_cache\": false}");
        assertThat(c.readCacheEntries()).isEqualTo(4096);
        assertThat(ConfigLoader.parse("vault.json", "{\"storage\": {\"inmem\": {}}, \"listener\": {\"tcp\":"
                + " {\"tls_disable\": true}}, \"disable_cache\": \"true\"}").readCacheEntries()).isZero();
    }

    @Test
    void aLaterFileOverridesAnEarlierOne() {
        assertThat(parse(BASE + "cache_size = 10\ncache_size = 20\n").readCacheEntries()).isEqualTo(20);
    }
}
