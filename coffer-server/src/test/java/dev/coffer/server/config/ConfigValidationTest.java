package dev.coffer.server.config;

import dev.coffer.hcl.ConfigException;
import dev.coffer.hcl.Origin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {
    private static final String BASE = "storage \"inmem\" {}\nlistener \"tcp\" { tls_disable = true }\n";

    private static ServerConfig parse(String text) {
        return ConfigLoader.parse("vault.hcl", text);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> rejecting(String text) {
        return assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigException.class);
    }

    @Test
    void badBoolean_namesFileLineAndDottedKey() {
        rejecting("storage \"inmem\" {}\nlistener \"tcp\" {\n  tls_disable = \"maybe\"\n}\n")
                .hasMessage("vault.hcl:3: key \"listener.tcp.tls_disable\": expected a boolean (true/false),"
                        + " got \"maybe\"");
    }

    @Test
    void booleans_acceptVaultsLenientForms() {
        for (String yes : new String[] {"true", "\"true\"", "\"TRUE\"", "1", "\"1\""}) {
            assertThat(parse(BASE + "ui = " + yes).ui()).as(yes).isTrue();
        }
        for (String no : new String[] {"false", "\"false\"", "0", "\"0\""}) {
            assertThat(parse(BASE + "ui = " + no).ui()).as(no).isFalse();
        }
    }

    @Test
    void missingCertificate_saysToSetItOrDisableTls() {
        rejecting("storage \"inmem\" {}\n\nlistener \"tcp\" {\n  tls_cert_file = \"/c.pem\"\n}\n")
                .hasMessageStartingWith("vault.hcl:3: listener \"tcp\" has TLS enabled but tls_key_file is not set")
                .hasMessageContaining("tls_disable = true");
    }

    @Test
    void unknownKeys_becomeWarningsWithFileAndLine() {
        ServerConfig c = parse(BASE + "disable_mlock = true\nfoo = 1\nlistener \"tcp\" {\n tls_disable = 1\n"
                + " proxy_protocol_behavior = \"use_always\"\n}\n");
        assertThat(c.warnings()).hasSize(2);
        assertThat(c.warnings().get(0)).startsWith("vault.hcl:4: unknown key \"foo\" ignored");
        assertThat(c.warnings().get(1))
                .startsWith("vault.hcl:7: unknown key \"listener.tcp.proxy_protocol_behavior\" ignored");
    }

    @Test
    void storageTwice_namesBothPlaces() {
        rejecting(BASE + "\nstorage \"file\" { path = \"/d\" }\n")
                .hasMessage("vault.hcl:4: storage is defined twice (first at vault.hcl:1); keep exactly one storage"
                        + " stanza across all files");
    }

    @Test
    void missingStorage_explainsTheStanzaToAdd() {
        rejecting("listener \"tcp\" { tls_disable = true }").hasMessageContaining("add a storage \"file\" { path = \"...\" }");
    }

    @Test
    void missingListener_isAnErrorOutsideDevMode() {
        rejecting("storage \"inmem\" {}").hasMessageStartingWith("no listener configured; add listener \"tcp\"");
    }

    @Test
    void unknownListenerType_isRejected() {
        rejecting("storage \"inmem\" {}\nlistener \"unix\" { address = \"/run/c.sock\" }")
                .hasMessageStartingWith("vault.hcl:2: listener type \"unix\" is not supported");
    }

    @Test
    void disabledSealPlusNewSeal_isAMigration() {
        ServerConfig c = parse(BASE + "seal \"azurekeyvault\" {\n vault_name = \"v\"\n disabled = \"true\"\n}\n"
                + "seal \"awskms\" { kms_key_id = \"k\" }\n");
        assertThat(c.disabledSeal().type()).isEqualTo("azurekeyvault");
        assertThat(c.disabledSeal().params()).doesNotContainKey("disabled");
        assertThat(c.activeSeal().type()).isEqualTo("awskms");
    }

    @Test
    void threeSeals_areRejected() {
        rejecting(BASE + "seal \"a\" { disabled = true }\nseal \"b\" { disabled = true }\nseal \"c\" {}\n")
                .hasMessageStartingWith("vault.hcl:5: at most two seal stanzas");
    }

    @Test
    void sealDisabledMustBeABoolean() {
        rejecting(BASE + "seal \"awskms\" { disabled = \"yes\" }")
                .hasMessageContaining("key \"seal.awskms.disabled\": expected a boolean");
    }

    @Test
    void durations_acceptGoStringsAndSeconds() {
        ServerConfig c = parse(BASE + "default_lease_ttl = \"1h30m\"\nmax_lease_ttl = 86400\n"
                + "listener \"tcp\" {\n tls_disable = 1\n max_request_duration = \"500ms\"\n max_request_size = -1\n}");
        assertThat(c.defaultLeaseTtl()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.maxLeaseTtl()).isEqualTo(Duration.ofDays(1));
        assertThat(c.listeners().get(1).maxRequestDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.listeners().get(1).maxRequestSize()).isEqualTo(ListenerConfig.NO_SIZE_LIMIT);
        assertThat(c.listeners().get(1).hasSizeLimit()).isFalse();
    }

    @Test
    void badDuration_andDefaultAboveMax_areRejected() {
        rejecting(BASE + "max_lease_ttl = \"ten hours\"")
                .hasMessage("vault.hcl:3: key \"max_lease_ttl\": expected a duration such as \"90s\", \"1h30m\" or a"
                        + " whole number of seconds, got \"ten hours\"");
        rejecting(BASE + "default_lease_ttl = \"48h\"\nmax_lease_ttl = \"24h\"")
                .hasMessageStartingWith("vault.hcl:3: default_lease_ttl (PT48H) is longer than max_lease_ttl");
    }

    @Test
    void maxLeaseTtlBelowTheDefault_lowersTheUnsetDefault() {
        ServerConfig c = parse(BASE + "max_lease_ttl = \"1h\"");
        assertThat(c.defaultLeaseTtl()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void badSize_andTlsVersion_andLogSettings_areRejected() {
        rejecting("storage \"inmem\" {}\nlistener \"tcp\" {\n tls_disable = 1 max_request_size = \"32MB\" }")
                .hasMessageContaining("vault.hcl:3: key \"listener.tcp.max_request_size\": expected a size in bytes");
        rejecting("storage \"inmem\" {}\nlistener \"tcp\" { tls_disable = 1 tls_min_version = \"ssl3\" }")
                .hasMessageContaining("expected one of tls10, tls11, tls12, tls13, got \"ssl3\"");
        rejecting(BASE + "log_level = \"loud\"").hasMessageContaining("key \"log_level\"");
        rejecting(BASE + "log_format = \"xml\"").hasMessageContaining("key \"log_format\"");
    }

    @Test
    void mlockWarning_isGivenUntilDisableMlockIsSet() {
        assertThat(parse(BASE).warnings()).singleElement().asString().contains("cannot lock its heap");
        assertThat(parse(BASE + "disable_mlock = false").warnings()).singleElement().asString()
                .startsWith("vault.hcl:3: the JVM cannot lock its heap");
        assertThat(parse(BASE + "disable_mlock = \"true\"").warnings()).isEmpty();
    }

    @Test
    void storageParams_keepTheirWrittenFormAndOrigins() {
        ServerConfig c = parse("storage \"postgresql\" {\n max_parallel = 128\n ha_enabled = true\n ratio = 0.75\n}\n"
                + "ha_storage \"postgresql\" { ha_table = \"locks\" }\nlistener \"tcp\" { tls_disable = true }");
        assertThat(c.storage().params()).containsEntry("max_parallel", "128").containsEntry("ha_enabled", "true")
                .containsEntry("ratio", "0.75");
        assertThat(c.storage().originOf("ratio")).isEqualTo(new Origin("vault.hcl", 4));
        assertThat(c.storage().originOf("absent")).isEqualTo(new Origin("vault.hcl", 1));
        assertThat(c.haStorage().params()).containsEntry("ha_table", "locks");
    }

    @Test
    void nestedBlockInsideStorage_isRejectedWithItsKey() {
        rejecting("storage \"file\" {\n opts { a = 1 }\n}")
                .hasMessageStartingWith("vault.hcl:2: key \"storage.file.opts\": expected a string, number, boolean");
    }

    @Test
    void storageWithoutType_isRejected() {
        rejecting("storage = \"file\"").hasMessageContaining("expected a block such as storage \"TYPE\" { ... }");
    }

    @Test
    void oldBackendName_worksWithAWarning() {
        ServerConfig c = parse("backend \"file\" { path = \"/d\" }\nlistener \"tcp\" { tls_disable = true }\n"
                + "disable_mlock = true");
        assertThat(c.storage().type()).isEqualTo("file");
        assertThat(c.warnings()).singleElement().asString().contains("old name of \"storage\"");
    }
}
