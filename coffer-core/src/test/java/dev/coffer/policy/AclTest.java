package dev.coffer.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AclTest {
    private static final Policy APP = PolicyParser.parse("app", """
            path "secret/*"            { capabilities = ["read", "list"] }
            path "secret/admin/*"      { capabilities = ["deny"] }
            path "secret/admin/open"   { capabilities = ["read"] }
            path "secret/+/config"     { capabilities = ["update"] }
            path "secret/team/+/*"     { capabilities = ["create"] }
            path "sys/seal"            { capabilities = ["update", "sudo"] }
            path "sys/rotate"          { capabilities = ["update"] }
            path "kv/data/exact"       { capabilities = ["patch"] }
            """);
    private static final Policy OTHER = PolicyParser.parse("other", """
            path "secret/*"       { capabilities = ["delete"] }
            path "kv/data/exact"  { capabilities = ["deny"] }
            """);

    @ParameterizedTest(name = "{0} {1} sudo={2} -> {3}")
    @CsvSource({
            "secret/a,              READ,   false, true",
            "secret/a/b/c,          LIST,   false, true",
            "secret/a,              UPDATE, false, false",
            "secret/admin/x,        READ,   false, false",   // deny on the more specific glob
            "secret/admin/open,     READ,   false, true",    // exact beats the deny glob
            "secret/foo/config,     UPDATE, false, true",    // + matches one segment
            "secret/foo/config,     READ,   false, false",   // + rule is more specific than secret/*
            "secret/a/b/config,     UPDATE, false, false",   // + never spans two segments
            "secret/team/x/doc,     CREATE, false, true",
            "sys/seal,              UPDATE, true,  true",
            "sys/rotate,            UPDATE, true,  false",   // sudo missing
            "sys/rotate,            UPDATE, false, true",
            "sys/mounts,            READ,   false, false",   // nothing matches
            "kv/data/exact,         PATCH,  false, true",    // only app has it
    })
    void singlePolicy(String path, Capability cap, boolean sudo, boolean allowed) {
        assertThat(Acl.of(List.of(APP), false).allows(path, cap, sudo)).isEqualTo(allowed);
    }

    @Test
    void samePatternInTwoPolicies_mergesCapabilities_andDenyWins() {
        Acl acl = Acl.of(List.of(APP, OTHER), false);
        assertThat(acl.allows("secret/a", Capability.DELETE, false)).isTrue();
        assertThat(acl.allows("secret/a", Capability.READ, false)).isTrue();
        assertThat(acl.allows("kv/data/exact", Capability.PATCH, false)).isFalse();
        assertThat(Capability.labels(acl.capabilities("kv/data/exact"))).containsExactly("deny");
    }

    @Test
    void rootAllowsEverythingIncludingSudo() {
        assertThat(Acl.of(List.of(), true).allows("anything/at/all", Capability.SUDO, true)).isTrue();
    }

    @Test
    void noPolicies_denyEverything() {
        assertThat(Acl.of(List.of(), false).allows("secret/a", Capability.READ, false)).isFalse();
    }

    @Test
    void defaultPolicy_letsATokenManageItselfOnly() {
        Acl acl = Acl.of(List.of(PolicyParser.parse("default", DefaultPolicy.TEXT)), false);
        assertThat(acl.allows("auth/token/lookup-self", Capability.READ, false)).isTrue();
        assertThat(acl.allows("auth/token/renew-self", Capability.UPDATE, false)).isTrue();
        assertThat(acl.allows("auth/token/revoke-self", Capability.UPDATE, false)).isTrue();
        assertThat(acl.allows("sys/capabilities-self", Capability.UPDATE, false)).isTrue();
        assertThat(acl.allows("auth/token/create", Capability.UPDATE, false)).isFalse();
        assertThat(acl.allows("sys/policies/acl/default", Capability.UPDATE, false)).isFalse();
    }

    @Test
    void specificityOrder_isDocumented() {
        List<PathRule> rules = new java.util.ArrayList<>(List.of(new PathRule("a/*", 1), new PathRule("a/+/c", 1),
                new PathRule("a/b/*", 1), new PathRule("a/+/+", 1), new PathRule("a/b/c*", 1)));
        rules.sort(Acl.MOST_SPECIFIC_FIRST);
        assertThat(rules).extracting(PathRule::pattern).containsExactly("a/b/c*", "a/b/*", "a/+/c", "a/+/+", "a/*");
    }

    @Test
    void parseErrors_nameTheLine() {
        assertThatThrownBy(() -> PolicyParser.parse("bad", "path \"a\" {\n  capabilities = [\"reed\"]\n}\n"))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("bad.hcl:2:")
                .hasMessageContaining("unknown capability \"reed\"");
        assertThatThrownBy(() -> PolicyParser.parse("bad", "path \"a\" {\n capabilities = [\"read\"\n"))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("bad.hcl:");
        assertThatThrownBy(() -> PolicyParser.parse("bad", "path \"a*b\" { capabilities = [\"read\"] }"))
                .hasMessageContaining("only appear at the end");
    }

    @Test
    void parameterConstraints_areAcceptedWithAWarning_andJsonPoliciesParse() {
        Policy p = PolicyParser.parse("w", """
                path "secret/*" {
                  capabilities = ["create"]
                  allowed_parameters = { "a" = [] }
                }
                """);
        assertThat(p.warnings()).singleElement().asString().contains("line 3").contains("not enforced");
        Policy json = PolicyParser.parse("j", "{\"path\": {\"secret/*\": {\"capabilities\": [\"read\"]}}}");
        assertThat(Acl.of(List.of(json), false).allows("secret/x", Capability.READ, false)).isTrue();
    }

    @Test
    void everyOperationNeedsTheCapabilityOfItsName() {
        for (dev.coffer.logical.Operation op : dev.coffer.logical.Operation.values()) {
            assertThat(AclAuthorizer.needed(op)).isEqualTo(Capability.valueOf(op.name()));
            assertThat(AclAuthorizer.needed(op).label()).isEqualTo(op.capability());
        }
    }
}
