package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.seal.TestKmsFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnoseTest {
    @TempDir
    Path dir;

    private record Outcome(int exit, String text) {
    }

    private Outcome diagnose(String hcl) throws Exception {
        Path config = dir.resolve("coffer.hcl");
        Files.writeString(config, hcl);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit = Diagnose.run(List.of(config), new PrintStream(buf, true, StandardCharsets.UTF_8));
        return new Outcome(exit, buf.toString(StandardCharsets.UTF_8));
    }

    private String tlsConfig(String storageAndSeal) throws Exception {
        return tlsConfig(storageAndSeal, java.time.Duration.ofDays(365));
    }

    private String tlsConfig(String storageAndSeal, java.time.Duration certValidity) throws Exception {
        TestCertificates certs = TestCertificates.generate(dir, certValidity);
        return storageAndSeal + """
                listener "tcp" {
                  address       = "127.0.0.1:0"
                  tls_cert_file = "%s"
                  tls_key_file  = "%s"
                }
                disable_mlock = true
                """.formatted(certs.certFile(), certs.keyFile());
    }

    @Test
    void aHealthyConfigurationPassesEveryCheck() throws Exception {
        Outcome o = diagnose(tlsConfig("storage \"file\" { path = \"" + dir.resolve("data") + "\" }\n"));
        assertThat(o.text()).contains("[ ok ] configuration", "[ ok ] storage \"file\"", "TLS key pair loads",
                "[ ok ] seal: shamir").doesNotContain("[fail]", "[warn]");
        assertThat(o.exit()).isZero();
    }

    @Test
    void aCertificateCloseToExpiryIsAWarning() throws Exception {
        Outcome o = diagnose(tlsConfig("storage \"file\" { path = \"" + dir.resolve("data") + "\" }\n",
                java.time.Duration.ofDays(3)));
        assertThat(o.text()).contains("[warn] listener 127.0.0.1:0: the certificate expires on").contains("renew it soon");
        assertThat(o.exit()).isEqualTo(2);
    }

    @Test
    void aBrokenConfigurationFailsWithFileAndLine() throws Exception {
        Outcome o = diagnose("storage \"file\" {\n  path = \"unterminated\n}\n");
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.text()).contains("[fail] configuration:", "coffer.hcl:2:");
    }

    @Test
    void plainHttpAndUnwritableStorageAreReported() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        Outcome o = diagnose("""
                storage "file" { path = "%s" }
                listener "tcp" {
                  address     = "127.0.0.1:0"
                  tls_disable = true
                }
                disable_mlock = true
                """.formatted(blocker.resolve("data")));
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.text()).contains("[warn] listener 127.0.0.1:0: tls_disable", "[fail] storage \"file\"");
    }

    @Test
    void theSealCheckUnwrapsTheStoredRootKeyAndNamesTheCauseWhenItCannot() throws Exception {
        String key = "diag-" + UUID.randomUUID();
        String hcl = tlsConfig("storage \"file\" { path = \"" + dir.resolve("data") + "\" }\n"
                + "seal \"test-kms\" { key_name = \"" + key + "\" }\n");
        Files.writeString(dir.resolve("coffer.hcl"), hcl);
        try (CofferServer server = CofferServer.start(new ServerOptions(List.of(dir.resolve("coffer.hcl")), false, null,
                null, "error"), new PrintStream(new ByteArrayOutputStream()))) {
            server.core().init(new dev.coffer.core.InitRequest(0, 0, 1, 1));
        }
        Outcome healthy = diagnose(hcl);
        assertThat(healthy.text()).contains("round trip", "the stored root key (wrapped with key v1) unwraps");
        assertThat(healthy.exit()).isZero();

        TestKmsFactory.kms(key).latency(java.time.Duration.ofMillis(300));
        Outcome slow = diagnose(hcl);
        assertThat(slow.text()).contains("[warn] seal \"test-kms\": encrypt/decrypt round trip took",
                "in the same region as the servers");
        assertThat(slow.exit()).isEqualTo(2);
        TestKmsFactory.kms(key).latency(java.time.Duration.ZERO);

        TestKmsFactory.kms(key).rotate();
        TestKmsFactory.kms(key).disable("v1");
        Outcome broken = diagnose(hcl);
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.text()).contains("[fail] seal \"test-kms\": the stored root key (wrapped with key v1) does not "
                + "unwrap (KEY_NOT_FOUND)");
    }

    @Test
    void withSeveralSeals_eachIsChecked_andOneDeadSealIsAFailureThatStillLeavesTheServerAbleToUnseal() throws Exception {
        String first = "diag-a-" + UUID.randomUUID();
        String second = "diag-b-" + UUID.randomUUID();
        String hcl = tlsConfig("storage \"file\" { path = \"" + dir.resolve("data") + "\" }\nenable_multiseal = true\n"
                + "seal \"test-kms\" {\n name = \"primary\"\n priority = 1\n key_name = \"" + first + "\"\n}\n"
                + "seal \"test-kms\" {\n name = \"secondary\"\n priority = 2\n key_name = \"" + second + "\"\n}\n");
        Files.writeString(dir.resolve("coffer.hcl"), hcl);
        try (CofferServer server = CofferServer.start(new ServerOptions(List.of(dir.resolve("coffer.hcl")), false, null,
                null, "error"), new PrintStream(new ByteArrayOutputStream()))) {
            server.core().init(new dev.coffer.core.InitRequest(0, 0, 1, 1));
            assertThat(server.core().sealHealth().orElseThrow().backends()).extracting(b -> b.name())
                    .containsExactly("primary", "secondary");
        }
        Outcome healthy = diagnose(hcl);
        assertThat(healthy.text()).contains("[ ok ] seal \"primary\" (test-kms, priority 1): the stored root key",
                "[ ok ] seal \"secondary\" (test-kms, priority 2): the stored root key", "2 of 2 unwrap");
        assertThat(healthy.exit()).isZero();

        TestKmsFactory.kms(first).failWith(dev.coffer.seal.SealException.Reason.UNREACHABLE);
        try {
            Outcome degraded = diagnose(hcl);
            assertThat(degraded.text()).contains("[fail] seal \"primary\" (test-kms, priority 1)", "UNREACHABLE",
                    "1 of 2 unwrap the stored root key");
            assertThat(degraded.exit()).isEqualTo(1);
            TestKmsFactory.kms(second).failWith(dev.coffer.seal.SealException.Reason.PERMISSION_DENIED);
            assertThat(diagnose(hcl).text()).contains("[fail] seals: none of the 2 seals unwraps the stored root key");
        } finally {
            TestKmsFactory.kms(first).heal();
            TestKmsFactory.kms(second).heal();
        }
    }
}
