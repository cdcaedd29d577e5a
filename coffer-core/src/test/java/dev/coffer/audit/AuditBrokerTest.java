package dev.coffer.audit;

import static dev.coffer.audit.AuditTestSupport.ACCESSOR;
import static dev.coffer.audit.AuditTestSupport.TOKEN;
import static dev.coffer.audit.AuditTestSupport.entries;
import static dev.coffer.audit.AuditTestSupport.fileDevice;
import static dev.coffer.audit.AuditTestSupport.text;
import static dev.coffer.audit.AuditTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CofferException;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.storage.InmemBackend;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditBrokerTest {
    @TempDir
    Path dir;
    private Core core;
    private AuditBroker broker;
    private byte[] unsealKey;

    @BeforeEach
    void start() {
        core = new Core(CoreOptions.of(new InmemBackend(), "inmem"));
        unsealKey = core.devInit(null).unsealKey();
        broker = core.auditBroker();
    }

    @AfterEach
    void stop() {
        core.close();
    }

    private void roundTrip(LogicalRequest req) {
        broker.logRequest(req);
        broker.logResponse(req, LogicalResponse.ok(AuditTestSupport.M.createObjectNode().put("value", "s3cr3t-out")), null);
    }

    @Test
    void requestAndResponseEntriesHaveVaultShapeAndHashedValues() {
        Path log = dir.resolve("audit.log");
        broker.enable(fileDevice("file", log));
        roundTrip(write("secret/data/app", "password", "s3cr3t-in"));
        List<JsonNode> e = entries(log);
        assertThat(e).hasSize(2);
        JsonNode req = e.get(0);
        assertThat(req.get("type").asText()).isEqualTo("request");
        assertThat(req.get("time").asText()).isNotBlank();
        assertThat(req.at("/auth/client_token").asText()).isEqualTo(broker.hash("file", TOKEN)).startsWith("hmac-sha256:");
        assertThat(req.at("/auth/accessor").asText()).isEqualTo(broker.hash("file", ACCESSOR));
        assertThat(req.at("/auth/display_name").asText()).isEqualTo("root");
        assertThat(req.at("/auth/policies/0").asText()).isEqualTo("root");
        assertThat(req.at("/auth/token_policies/0").asText()).isEqualTo("root");
        assertThat(req.at("/auth/token_type").asText()).isEqualTo("service");
        assertThat(req.at("/request/id").asText()).isEqualTo("req-1");
        assertThat(req.at("/request/operation").asText()).isEqualTo("update");
        assertThat(req.at("/request/mount_point").asText()).isEqualTo("secret/");
        assertThat(req.at("/request/path").asText()).isEqualTo("secret/data/app");
        assertThat(req.at("/request/remote_address").asText()).isEqualTo("10.0.0.7");
        assertThat(req.at("/request").has("headers")).as("no X-Forwarded-For was trusted").isFalse();
        assertThat(req.at("/request/namespace/id").asText()).isEqualTo("root");
        assertThat(req.at("/request/data/password").asText()).isEqualTo(broker.hash("file", "s3cr3t-in"));
        assertThat(req.at("/request/data/count").asInt()).as("numbers are not secrets").isEqualTo(3);
        assertThat(req.has("response")).isFalse();
        JsonNode res = e.get(1);
        assertThat(res.get("type").asText()).isEqualTo("response");
        assertThat(res.at("/response/data/value").asText()).isEqualTo(broker.hash("file", "s3cr3t-out"));
        assertThat(text(log)).doesNotContain("s3cr3t", TOKEN, ACCESSOR);
    }

    @Test
    void logRawWritesValuesAndTokensInClear() {
        Path log = dir.resolve("raw.log");
        broker.enable(fileDevice("raw", log, "log_raw", "true"));
        roundTrip(write("secret/data/app", "password", "s3cr3t-in"));
        assertThat(text(log)).contains("s3cr3t-in", "s3cr3t-out", TOKEN, ACCESSOR);
    }

    @Test
    void hmacAccessorFalseLeavesOnlyTheAccessorReadable() {
        Path log = dir.resolve("acc.log");
        broker.enable(fileDevice("acc", log, "hmac_accessor", "false"));
        roundTrip(write("secret/data/app", "password", "s3cr3t-in"));
        JsonNode req = entries(log).get(0);
        assertThat(req.at("/auth/accessor").asText()).isEqualTo(ACCESSOR);
        assertThat(req.at("/request/client_token_accessor").asText()).isEqualTo(ACCESSOR);
        assertThat(text(log)).doesNotContain(TOKEN, "s3cr3t");
    }

    @Test
    void errorsAreRecordedInTheResponseEntry() {
        Path log = dir.resolve("err.log");
        broker.enable(fileDevice("file", log));
        LogicalRequest req = write("secret/data/app", "password", "x");
        broker.logResponse(req, null, new CofferException.BadRequest("field \"data\" is required"));
        assertThat(entries(log).get(0).get("error").asText()).isEqualTo("field \"data\" is required");
    }

    @Test
    void noDeviceRecordingTheRequestRefusesIt() {
        AuditTestSupport.FailingDevice failing = new AuditTestSupport.FailingDevice();
        broker.registerFactory("failing", c -> failing);
        broker.enable(new AuditDeviceConfig("bad", "failing", null, null, false));
        assertThatThrownBy(() -> broker.logRequest(write("secret/data/app", "k", "v")))
                .isInstanceOf(CofferException.Internal.class)
                .hasMessageContaining("no enabled audit device could record the request");
        assertThatThrownBy(() -> broker.logResponse(write("secret/data/app", "k", "v"), LogicalResponse.noContent(), null))
                .isInstanceOf(CofferException.Internal.class).hasMessageContaining("was carried out");
        failing.failing = false;
        broker.logRequest(write("secret/data/app", "k", "v"));
        assertThat(failing.written).isEqualTo(1);
    }

    @Test
    void oneWorkingDeviceIsEnoughWhenAnotherFails() {
        broker.registerFactory("failing", c -> new AuditTestSupport.FailingDevice());
        broker.enable(new AuditDeviceConfig("bad", "failing", null, null, false));
        Path log = dir.resolve("good.log");
        broker.enable(fileDevice("good", log));
        roundTrip(write("secret/data/app", "k", "v"));
        assertThat(entries(log)).hasSize(2);
    }

    @Test
    void withoutDevicesEverythingPasses() {
        roundTrip(write("secret/data/app", "k", "v"));
        assertThat(broker.list()).isEmpty();
    }

    @Test
    void enableRejectsDuplicatePathsUnknownTypesAndUnwritableFiles() {
        broker.enable(fileDevice("file", dir.resolve("a.log")));
        assertThatThrownBy(() -> broker.enable(fileDevice("file/", dir.resolve("b.log"))))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("already in use");
        assertThatThrownBy(() -> broker.enable(new AuditDeviceConfig("s", "socket", null, null, false)))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("unknown audit device type");
        assertThatThrownBy(() -> broker.enable(fileDevice("x", dir.resolve("missing/dir/audit.log"))))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("directory exists");
        assertThat(broker.list()).extracting(AuditDeviceConfig::path).containsExactly("file/");
    }

    @Test
    void disableRemovesTheDeviceAndUnknownPathsAre400() {
        broker.enable(fileDevice("file", dir.resolve("a.log")));
        broker.disable("file");
        assertThat(broker.list()).isEmpty();
        assertThatThrownBy(() -> broker.disable("file")).isInstanceOf(CofferException.BadRequest.class);
        assertThatThrownBy(() -> broker.hash("file", "x")).isInstanceOf(CofferException.BadRequest.class);
    }

    @Test
    void auditTableAndSaltSurviveSealAndUnseal() {
        Path log = dir.resolve("a.log");
        broker.enable(fileDevice("file", log, "log_raw", "false"));
        String before = broker.hash("file", "value");
        core.seal();
        assertThat(broker.list()).isEmpty();
        core.unseal(Base64.getEncoder().encodeToString(unsealKey));
        assertThat(broker.list()).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("file/");
            assertThat(c.options()).containsEntry("file_path", log.toString());
        });
        assertThat(broker.hash("file", "value")).isEqualTo(before);
        roundTrip(write("secret/data/app", "k", "v"));
        assertThat(entries(log)).hasSize(2);
    }

    @Test
    void theSaltIsStoredBehindTheBarrierAndNeverInTheLog() {
        Path log = dir.resolve("a.log");
        broker.enable(fileDevice("file", log, "log_raw", "true"));
        roundTrip(write("secret/data/app", "k", "v"));
        byte[] salt = core.barrier().get(AuditSalt.PATH).orElseThrow();
        assertThat(salt).hasSize(32);
        assertThat(text(log)).doesNotContain(java.util.HexFormat.of().formatHex(salt),
                Base64.getEncoder().encodeToString(salt));
    }

    @Test
    void aDeviceThatCannotOpenOnUnsealStaysEnabledRefusesRequestsAndRecoversWhenFixed() throws Exception {
        Path logs = java.nio.file.Files.createDirectory(dir.resolve("logs"));
        Path log = logs.resolve("audit.log");
        broker.enable(fileDevice("file", log));
        core.seal();
        java.nio.file.Files.delete(log);
        java.nio.file.Files.delete(logs);
        java.nio.file.Files.writeString(logs, "not a directory");
        core.unseal(Base64.getEncoder().encodeToString(unsealKey));
        assertThat(broker.list()).extracting(AuditDeviceConfig::path).containsExactly("file/");
        assertThatThrownBy(() -> broker.logRequest(write("secret/data/app", "k", "v")))
                .isInstanceOf(CofferException.Internal.class);
        java.nio.file.Files.delete(logs);
        java.nio.file.Files.createDirectory(logs);
        roundTrip(write("secret/data/app", "k", "s3cr3t-in"));
        assertThat(entries(log)).hasSize(2);
        assertThat(text(log)).doesNotContain("s3cr3t");
    }
}
