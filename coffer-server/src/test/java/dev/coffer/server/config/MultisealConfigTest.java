package dev.coffer.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.hcl.ConfigException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** {@code enable_multiseal = true} with several seal stanzas, each with {@code name} and {@code priority}. */
class MultisealConfigTest {
    private static final String BASE = "storage \"inmem\" {}\nlistener \"tcp\" { tls_disable = true }\n";

    private static ServerConfig parse(String text) {
        return ConfigLoader.parse("vault.hcl", text);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> rejecting(String text) {
        return assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigException.class);
    }

    @Test
    void twoSealsWithNamesAndPriorities_areActiveInPriorityOrder_andNameAndPriorityAreNotPassedToTheKms() {
        ServerConfig c = parse(BASE + "enable_multiseal = true\n"
                + "seal \"awskms\" {\n name = \"aws-east\"\n priority = 2\n kms_key_id = \"k\"\n}\n"
                + "seal \"azurekeyvault\" {\n priority = \"1\"\n vault_name = \"v\"\n}\n");
        assertThat(c.enableMultiseal()).isTrue();
        assertThat(c.activeSeals()).extracting(SealConfig::name).containsExactly("azurekeyvault", "aws-east");
        assertThat(c.activeSeals()).extracting(SealConfig::priority).containsExactly(1, 2);
        assertThat(c.activeSeal().type()).isEqualTo("azurekeyvault");
        assertThat(c.activeSeals().get(1).params()).containsOnlyKeys("kms_key_id");
    }

    @Test
    void twoActiveSealsWithoutEnableMultiseal_areRefusedWithAMessageNamingIt() {
        rejecting(BASE + "seal \"awskms\" {}\nseal \"azurekeyvault\" {}\n")
                .hasMessageStartingWith("vault.hcl:4: two active seals")
                .hasMessageContaining("enable_multiseal = true")
                .hasMessageContaining("disabled = \"true\"");
    }

    @Test
    void twoSealsOfOneTypeNeedDistinctNames() {
        rejecting(BASE + "enable_multiseal = true\nseal \"awskms\" { priority = 1 }\nseal \"awskms\" { priority = 2 }\n")
                .hasMessageStartingWith("vault.hcl:5: two seals are named \"awskms\"")
                .hasMessageContaining("name = ");
        ServerConfig ok = parse(BASE + "enable_multiseal = true\nseal \"awskms\" {\n name = \"east\"\n priority = 1\n}\n"
                + "seal \"awskms\" {\n name = \"west\"\n priority = 2\n}\n");
        assertThat(ok.activeSeals()).extracting(SealConfig::name).containsExactly("east", "west");
    }

    @Test
    void duplicateOrMissingPriorities_areRefused() {
        rejecting(BASE + "enable_multiseal = true\nseal \"awskms\" { priority = 1 }\nseal \"gcpckms\" { priority = 1 }\n")
                .hasMessageStartingWith("vault.hcl:5: seals \"awskms\"")
                .hasMessageContaining("both have priority 1");
        rejecting(BASE + "enable_multiseal = true\nseal \"awskms\" { priority = 1 }\nseal \"gcpckms\" {}\n")
                .hasMessageStartingWith("vault.hcl:5: seal \"gcpckms\"")
                .hasMessageContaining("needs a priority");
        rejecting(BASE + "enable_multiseal = true\nseal \"awskms\" { priority = 0 }\n")
                .hasMessageContaining("seal.awskms.priority must be a whole number from 1");
        rejecting(BASE + "enable_multiseal = true\nseal \"awskms\" { priority = \"first\" }\n")
                .hasMessageContaining("got \"first\"");
    }

    @Test
    void shamirCannotBeOneOfSeveralSeals() {
        rejecting(BASE + "enable_multiseal = true\nseal \"awskms\" { priority = 1 }\nseal \"shamir\" { priority = 2 }\n")
                .hasMessageStartingWith("vault.hcl:5: seal \"shamir\" cannot be combined with other seals")
                .hasMessageContaining("enable_multiseal");
    }

    @Test
    void atMostThreeActiveSeals_plusOneDisabledBeingMigratedFrom() {
        rejecting(BASE + "enable_multiseal = true\nseal \"a\" { priority = 1 }\nseal \"b\" { priority = 2 }\n"
                + "seal \"c\" { priority = 3 }\nseal \"d\" { priority = 4 }\n")
                .hasMessageStartingWith("vault.hcl:7: enable_multiseal allows at most 3 active seals");
        ServerConfig c = parse(BASE + "enable_multiseal = true\nseal \"a\" { priority = 1 }\nseal \"b\" { priority = 2 }\n"
                + "seal \"c\" { priority = 3 }\nseal \"old\" { disabled = true }\n");
        assertThat(c.activeSeals()).hasSize(3);
        assertThat(c.disabledSeal().type()).isEqualTo("old");
    }

    @Test
    void oneSealUnderEnableMultiseal_needsNoPriority() {
        ServerConfig c = parse(BASE + "enable_multiseal = true\nseal \"awskms\" { name = \"only\" }\n");
        assertThat(c.activeSeals()).extracting(SealConfig::name).containsExactly("only");
        assertThat(c.warnings()).noneMatch(w -> w.contains("enable_multiseal"));
    }
}
