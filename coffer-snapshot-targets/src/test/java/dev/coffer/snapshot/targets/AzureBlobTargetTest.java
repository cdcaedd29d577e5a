package dev.coffer.snapshot.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.snapshot.SnapshotReader;
import dev.coffer.snapshot.auto.ScheduleStatus;
import dev.coffer.snapshot.auto.SnapshotSchedule;
import dev.coffer.snapshot.auto.SnapshotScheduler;
import dev.coffer.snapshot.auto.SnapshotTarget;
import dev.coffer.snapshot.auto.SnapshotTargets;
import dev.coffer.storage.InmemBackend;
import dev.coffer.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Azure Blob target through the real Azure SDK (Netty) against {@link FakeBlobService} (Shared Key verified). */
class AzureBlobTargetTest {
    static final String ACCOUNT = "cofferbackups";
    static final String KEY = Base64.getEncoder().encodeToString(
            "the-64-byte-account-key-of-the-test-0123456789abcdef0123456789ab".getBytes(StandardCharsets.US_ASCII));
    static final String WRONG_KEY = Base64.getEncoder().encodeToString(
            "a-rotated-64-byte-account-key-....-0123456789abcdef0123456789ab".getBytes(StandardCharsets.US_ASCII));

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    FakeBlobService azure;
    Core core;

    @BeforeEach
    void setUp() throws Exception {
        azure = new FakeBlobService(ACCOUNT, KEY);
        azure.createContainer("backups");
        core = new Core(new CoreOptions(new InmemBackend(), "inmem", null, null, null, null, null, clock, null, null));
        core.devInit("root");
    }

    @AfterEach
    void tearDown() {
        core.close();
        azure.close();
    }

    Map<String, String> target(String container) {
        Map<String, String> t = new HashMap<>();
        t.put("account_name", ACCOUNT);
        t.put("container", container);
        t.put("prefix", "vault/prod");
        t.put("endpoint", azure.endpoint());
        t.put("account_key", KEY);
        return t;
    }

    SnapshotScheduler scheduler(SnapshotSchedule s) {
        return new SnapshotScheduler(core, List.of(s), new SnapshotTargets(List.of(new AzureBlobTarget.Factory())), clock, null);
    }

    @Test
    void uploadsOneBlockBlobPerSnapshot_listsAndAppliesRetention_leavingOtherBlobsAlone() throws Exception {
        azure.putBlob("backups", "vault/prod/coffer-snapshot-other-20200101T000000Z.snap", "another schedule".getBytes());
        azure.putBlob("backups", "vault/prod/deeper/coffer-snapshot-hourly-20200101T000000Z.snap", "nested".getBytes());
        var s = new SnapshotSchedule("hourly", Duration.ofHours(1), 2, "azure-blob", target("backups"), "config");
        try (var sched = scheduler(s)) {
            for (int i = 0; i < 4; i++) {
                assertThat(sched.runDue()).containsExactly("hourly");
                assertThat(sched.status("hourly").orElseThrow().lastError()).isNull();
                clock.advance(Duration.ofHours(1));
            }
        }
        assertThat(azure.names("backups")).containsExactly(
                "vault/prod/coffer-snapshot-hourly-20261120T120000Z.snap",
                "vault/prod/coffer-snapshot-hourly-20261120T130000Z.snap",
                "vault/prod/coffer-snapshot-other-20200101T000000Z.snap",
                "vault/prod/deeper/coffer-snapshot-hourly-20200101T000000Z.snap");
        FakeBlobService.Blob last = azure.blob("backups", "vault/prod/coffer-snapshot-hourly-20261120T130000Z.snap");
        assertThat(last.contentType()).isEqualTo("application/gzip");
        assertThat(SnapshotReader.inspect(new ByteArrayInputStream(last.data())).entryCount()).isPositive();

        // what went over the wire: one Put Blob per snapshot (no blocks), listings with the prefix, two deletes
        List<FakeBlobService.Seen> seen = azure.requests;
        assertThat(seen).allSatisfy(r -> assertThat(r.authorization()).startsWith("SharedKey " + ACCOUNT + ":"));
        assertThat(seen.stream().filter(r -> r.method().equals("PUT")).map(FakeBlobService.Seen::query))
                .hasSize(4).allSatisfy(q -> assertThat(q).isNull());
        assertThat(seen.stream().filter(r -> r.method().equals("GET")).map(FakeBlobService.Seen::query))
                .isNotEmpty().allSatisfy(q -> assertThat(q).contains("restype=container").contains("comp=list")
                        .endsWith("prefix=vault/prod/coffer-snapshot-hourly-"));
        // (the SDK percent-encodes the "/" inside blob names; the service decodes the name)
        assertThat(seen.stream().filter(r -> r.method().equals("DELETE")).map(FakeBlobService.Seen::path)).containsExactly(
                "/" + ACCOUNT + "/backups/vault%2Fprod%2Fcoffer-snapshot-hourly-20261120T100000Z.snap",
                "/" + ACCOUNT + "/backups/vault%2Fprod%2Fcoffer-snapshot-hourly-20261120T110000Z.snap");
    }

    @Test
    void listFollowsContinuationMarkers_andDeleteOfAMissingBlobIsFine(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 7; i++) {
            azure.putBlob("backups", "vault/prod/coffer-snapshot-x-2026010" + i + "T000000Z.snap", new byte[] {1});
        }
        azure.pageSize = 3; // the service's cap is 5000 per page; 7 names come in 3 pages linked by NextMarker
        try (SnapshotTarget t = new AzureBlobTarget.Factory().create(target("backups"))) {
            assertThat(t.list("coffer-snapshot-x-")).hasSize(7);
            assertThat(azure.requests.stream().filter(r -> r.query() != null && r.query().contains("marker="))).hasSize(2);
            t.delete("coffer-snapshot-x-20260100T000000Z.snap");
            t.delete("coffer-snapshot-x-20260100T000000Z.snap");
            assertThat(t.list("coffer-snapshot-x-")).hasSize(6).doesNotContain("coffer-snapshot-x-20260100T000000Z.snap");
            Path f = Files.writeString(dir.resolve("a.snap"), "payload");
            t.upload("coffer-snapshot-y-20260101T000000Z.snap", f);
            assertThat(azure.blob("backups", "vault/prod/coffer-snapshot-y-20260101T000000Z.snap").data())
                    .isEqualTo("payload".getBytes());
        }
    }

    @Test
    void aMissingContainer_saysToCreateIt_andTheNextRunRetries() {
        var s = new SnapshotSchedule("daily", Duration.ofHours(24), 3, "azure-blob", target("not-yet-there"), "config");
        try (var sched = scheduler(s)) {
            sched.runDue();
            ScheduleStatus failed = sched.status("daily").orElseThrow();
            assertThat(failed.lastError())
                    .contains("upload to " + azure.endpoint() + "/not-yet-there/vault/prod/ failed")
                    .contains("container \"not-yet-there\" does not exist")
                    .contains("ContainerNotFound")
                    .contains("create it");
            assertThat(failed.lastSuccess()).isNull();
            assertThat(failed.nextRun()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));

            azure.createContainer("not-yet-there");
            clock.advance(Duration.ofHours(24));
            assertThat(sched.runDue()).containsExactly("daily");
            ScheduleStatus ok = sched.status("daily").orElseThrow();
            assertThat(ok.lastError()).isNull();
            assertThat(azure.names("not-yet-there")).containsExactly("vault/prod/coffer-snapshot-daily-20261121T100000Z.snap");
        }
    }

    @Test
    void aWrongAccountKey_isA403NamingTheKey(@TempDir Path dir) throws Exception {
        Map<String, String> t = target("backups");
        t.put("account_key", WRONG_KEY);
        try (SnapshotTarget target = new AzureBlobTarget.Factory().create(t)) {
            Path f = Files.writeString(dir.resolve("a.snap"), "payload");
            assertThatThrownBy(() -> target.upload("coffer-snapshot-d-20260101T000000Z.snap", f))
                    .hasMessageContaining("access denied (403 AuthenticationFailed)")
                    .hasMessageContaining("check account_key");
            assertThatThrownBy(() -> target.list("coffer-snapshot-d-")).hasMessageContaining("403");
        }
        assertThat(azure.names("backups")).isEmpty();
        // the fake really checks the signature: the same requests with the right key pass
        try (SnapshotTarget target = new AzureBlobTarget.Factory().create(target("backups"))) {
            assertThat(target.list("coffer-snapshot-d-")).isEmpty();
        }
    }

    @Test
    void aDeniedIdentity_namesTheRole() {
        // no account_key: DefaultAzureCredential; Azure's answer to a token without data-plane rights is a 403
        var target = new AzureBlobTarget(Map.of("account_name", "a", "container", "c"));
        var e = new com.azure.storage.blob.models.BlobStorageException("This request is not authorized to perform "
                + "this operation using this permission.", new FakeResponse(403), null);
        assertThat(target.describe()).isEqualTo("https://a.blob.core.windows.net/c/");
        assertThat(target.failure("upload", e).getMessage()).contains("access denied (403 AuthorizationPermissionMismatch)")
                .contains("the identity found by DefaultAzureCredential")
                .contains("needs the role \"Storage Blob Data Contributor\"");
    }

    /** Just enough of a response for BlobStorageException (status and x-ms-error-code). */
    static final class FakeResponse extends com.azure.core.http.HttpResponse {
        final int status;

        FakeResponse(int status) {
            super(new com.azure.core.http.HttpRequest(com.azure.core.http.HttpMethod.PUT, "https://a.blob.core.windows.net/c/b"));
            this.status = status;
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return getHeaders().getValue(name);
        }

        @Override
        public com.azure.core.http.HttpHeaders getHeaders() {
            return new com.azure.core.http.HttpHeaders().set("x-ms-error-code", "AuthorizationPermissionMismatch");
        }

        @Override
        public reactor.core.publisher.Flux<java.nio.ByteBuffer> getBody() {
            return reactor.core.publisher.Flux.empty();
        }

        @Override
        public reactor.core.publisher.Mono<byte[]> getBodyAsByteArray() {
            return reactor.core.publisher.Mono.empty();
        }

        @Override
        public reactor.core.publisher.Mono<String> getBodyAsString() {
            return reactor.core.publisher.Mono.empty();
        }

        @Override
        public reactor.core.publisher.Mono<String> getBodyAsString(java.nio.charset.Charset charset) {
            return reactor.core.publisher.Mono.empty();
        }
    }

    @Test
    void attributesAreChecked() {
        var f = new AzureBlobTarget.Factory();
        assertThatThrownBy(() -> f.create(Map.of("container", "c"))).hasMessageContaining("\"account_name\" is required");
        assertThatThrownBy(() -> f.create(Map.of("account_name", "a"))).hasMessageContaining("\"container\" is required");
        assertThatThrownBy(() -> f.create(Map.of("account_name", "a", "container", "c", "account_key", "not base64!")))
                .hasMessageContaining("account_key must be the base64");
        assertThatThrownBy(() -> f.create(Map.of("account_name", "a", "container", "c", "endpoint", "ftp://x")))
                .hasMessageContaining("endpoint must be an http(s) URL");
        assertThatThrownBy(() -> f.create(Map.of("account_name", "a", "container", "c", "bucket", "b")))
                .hasMessageContaining("unknown attribute");
        assertThat(f.create(Map.of("account_name", "a", "container", "c", "prefix", "/p", "endpoint", "https://x.example/"))
                .describe()).isEqualTo("https://x.example/c/p/");
        assertThat(SnapshotTargets.discover().types()).contains("local", "s3", "azure-blob");
    }
}
