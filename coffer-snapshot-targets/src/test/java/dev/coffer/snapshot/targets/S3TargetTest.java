package dev.coffer.snapshot.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.snapshot.SnapshotReader;
import dev.coffer.snapshot.auto.ScheduleStatus;
import dev.coffer.snapshot.auto.SnapshotSchedule;
import dev.coffer.snapshot.auto.SnapshotScheduler;
import dev.coffer.snapshot.auto.SnapshotTargets;
import dev.coffer.storage.InmemBackend;
import dev.coffer.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 target through the real AWS SDK against S3Proxy (in-process, transient blob store). */
class S3TargetTest {
    static final String ACCESS = "access";
    static final String SECRET = "secret-key-of-the-test";

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().withCredentials(ACCESS, SECRET).build();

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    S3Client s3;
    Core core;

    @BeforeEach
    void setUp() {
        s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(S3.getUri()).forcePathStyle(true).region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build();
        s3.createBucket(b -> b.bucket("backups"));
        core = new Core(new CoreOptions(new InmemBackend(), "inmem", null, null, null, null, null, clock, null, null));
        core.devInit("root");
    }

    @AfterEach
    void tearDown() {
        core.close();
        s3.close();
    }

    Map<String, String> target(String bucket) {
        Map<String, String> t = new HashMap<>();
        t.put("bucket", bucket);
        t.put("prefix", "vault/prod");
        t.put("endpoint", S3.getUri().toString());
        t.put("force_path_style", "true");
        t.put("access_key", ACCESS);
        t.put("secret_key", SECRET);
        return t;
    }

    List<String> keys(String bucket) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
    }

    SnapshotScheduler scheduler(SnapshotSchedule s) {
        return new SnapshotScheduler(core, List.of(s), new SnapshotTargets(List.of(new S3Target.Factory())), clock, null);
    }

    @Test
    void uploadsUnderThePrefix_listsAndAppliesRetention_leavingOtherObjectsAlone() throws Exception {
        s3.putObject(r -> r.bucket("backups").key("vault/prod/coffer-snapshot-other-20200101T000000Z.snap"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("another schedule"));
        var s = new SnapshotSchedule("hourly", Duration.ofHours(1), 2, "s3", target("backups"), "config");
        try (var sched = scheduler(s)) {
            for (int i = 0; i < 4; i++) {
                assertThat(sched.runDue()).containsExactly("hourly");
                assertThat(sched.status("hourly").orElseThrow().lastError()).isNull();
                clock.advance(Duration.ofHours(1));
            }
        }
        assertThat(keys("backups")).containsExactly(
                "vault/prod/coffer-snapshot-hourly-20261120T120000Z.snap",
                "vault/prod/coffer-snapshot-hourly-20261120T130000Z.snap",
                "vault/prod/coffer-snapshot-other-20200101T000000Z.snap");
        try (var in = s3.getObject(r -> r.bucket("backups").key("vault/prod/coffer-snapshot-hourly-20261120T130000Z.snap"))) {
            assertThat(SnapshotReader.inspect(in).entryCount()).isPositive();
        }
    }

    @Test
    void aFailingTarget_showsLastErrorInStatus_andTheNextRunRetries() {
        var s = new SnapshotSchedule("daily", Duration.ofHours(24), 3, "s3", target("not-yet-there"), "config");
        try (var sched = scheduler(s)) {
            sched.runDue();
            ScheduleStatus failed = sched.status("daily").orElseThrow();
            assertThat(failed.lastError()).contains("upload to s3://not-yet-there/vault/prod/");
            assertThat(failed.lastSuccess()).isNull();
            assertThat(failed.nextRun()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
            assertThat(sched.runDue()).as("not before the next run").isEmpty();

            s3.createBucket(b -> b.bucket("not-yet-there"));
            clock.advance(Duration.ofHours(24));
            assertThat(sched.runDue()).containsExactly("daily");
            ScheduleStatus ok = sched.status("daily").orElseThrow();
            assertThat(ok.lastError()).isNull();
            assertThat(ok.lastSuccess()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
            assertThat(keys("not-yet-there")).containsExactly("vault/prod/coffer-snapshot-daily-20261121T100000Z.snap");
        }
    }

    @Test
    void anUnreachableEndpoint_isAnErrorInStatus() {
        Map<String, String> t = target("backups");
        t.put("endpoint", "http://127.0.0.1:1");
        var s = new SnapshotSchedule("daily", Duration.ofHours(24), 3, "s3", t, "config");
        try (var sched = scheduler(s)) {
            sched.runDue();
            assertThat(sched.status("daily").orElseThrow().lastError()).contains("upload to s3://backups");
        }
    }

    @Test
    void attributesAreChecked() {
        var f = new S3Target.Factory();
        assertThatThrownBy(() -> f.create(Map.of())).hasMessageContaining("\"bucket\" is required");
        assertThatThrownBy(() -> f.create(Map.of("bucket", "b", "access_key", "a")))
                .hasMessageContaining("access_key and secret_key go together");
        assertThatThrownBy(() -> f.create(Map.of("bucket", "b", "server_side_encryption", "rot13")))
                .hasMessageContaining("AES256 or aws:kms");
        assertThatThrownBy(() -> f.create(Map.of("bucket", "b", "kms_key_id", "k")))
                .hasMessageContaining("aws:kms");
        assertThatThrownBy(() -> f.create(Map.of("bucket", "b", "colour", "red"))).hasMessageContaining("unknown attribute");
        assertThat(f.create(Map.of("bucket", "b", "server_side_encryption", "aws:kms", "kms_key_id", "alias/x"))
                .describe()).isEqualTo("s3://b/");
        assertThat(SnapshotTargets.discover().types()).contains("local", "s3");
        URI.create(S3.getUri().toString());
    }
}
