package dev.coffer.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalBackend;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.Operation;
import dev.coffer.policy.Acl;
import dev.coffer.policy.Capability;
import dev.coffer.policy.PolicyParser;
import dev.coffer.storage.InmemBackend;
import dev.coffer.token.TokenRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * No request reaches an engine unless the token's policies allow it: a recording engine is mounted at
 * {@code sys/} of a real Core; random policies and random requests go through {@link Core#handle}; every
 * request the engine saw must be one the ACL allows, and every allowed one must have reached it.
 */
class PolicyEnforcementPropertyTest {
    private static final List<String> SEGMENTS = List.of("a", "b", "c");
    private static final List<String> CAPS = List.of("create", "read", "update", "patch", "delete", "list", "sudo", "deny");

    record Req(Operation op, String path) {
    }

    static final class Recorder implements LogicalBackend {
        final List<Req> seen = new ArrayList<>();

        @Override
        public LogicalResponse handle(LogicalRequest request) {
            seen.add(new Req(request.operation(), request.path()));
            return LogicalResponse.noContent();
        }

        @Override
        public List<String> sudoPaths() {
            return List.of("a/b*");
        }
    }

    @Property(tries = 60)
    void onlyAllowedRequestsReachTheEngine(@ForAll("policies") List<String> rules, @ForAll("requests") List<Req> requests) {
        Core core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        InitResult init = core.init(new InitRequest(1, 1, 0, 0));
        core.unseal(Base64.getEncoder().encodeToString(init.keys().get(0)));
        Recorder engine = new Recorder();
        core.registerSystemBackend(engine);
        String text = String.join("\n", rules);
        core.policies().put("random", text);
        String token = core.tokens().create(TokenRequest.child(null, List.of("random"), null)).token();
        Acl acl = Acl.of(List.of(PolicyParser.parse("random", text)), false);

        List<Req> allowed = new ArrayList<>();
        for (Req r : requests) {
            boolean sudo = r.path().startsWith("sys/a/b");
            boolean expect = acl.allows(r.path(), Capability.valueOf(r.op().name()), sudo);
            try {
                core.handle(new LogicalRequest("id", r.op(), r.path(), null, null, JsonNodeFactory.instance.objectNode(),
                        token, null, "test", Map.of()));
                assertThat(expect).as("allowed %s", r).isTrue();
                allowed.add(r);
            } catch (CofferException.PermissionDenied e) {
                assertThat(expect).as("denied %s", r).isFalse();
            }
        }
        assertThat(engine.seen).isEqualTo(allowed);
        core.close();
    }

    @Provide
    Arbitrary<List<String>> policies() {
        Arbitrary<String> seg = Arbitraries.of("a", "b", "c", "+");
        Arbitrary<String> pattern = Combinators.combine(seg.list().ofMinSize(0).ofMaxSize(3), Arbitraries.of("", "*", "/*"))
                .as((segs, end) -> "sys/" + String.join("/", segs) + end);
        Arbitrary<String> caps = Arbitraries.of(CAPS).set().ofMinSize(1).ofMaxSize(4)
                .map(s -> String.join(", ", s.stream().map(c -> "\"" + c + "\"").toList()));
        return Combinators.combine(pattern, caps).as((p, c) -> "path \"" + p + "\" { capabilities = [" + c + "] }")
                .list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Req>> requests() {
        Arbitrary<String> path = Arbitraries.of(SEGMENTS).list().ofMinSize(1).ofMaxSize(3)
                .map(s -> "sys/" + String.join("/", s));
        Arbitrary<Operation> op = Arbitraries.of(Operation.READ, Operation.UPDATE, Operation.DELETE, Operation.LIST,
                Operation.PATCH);
        return Combinators.combine(op, path).as(Req::new).list().ofMinSize(1).ofMaxSize(15);
    }
}
