package dev.coffer.snapshot.targets;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.ConfigurationSource;
import com.microsoft.aad.msal4j.MsalTestEnvironment;
import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.seal.azure.AzureFakeForTests;
import dev.coffer.seal.azure.AzureFakeForTests.TokenGrant;
import dev.coffer.snapshot.auto.ScheduleStatus;
import dev.coffer.snapshot.auto.SnapshotSchedule;
import dev.coffer.snapshot.auto.SnapshotScheduler;
import dev.coffer.snapshot.auto.SnapshotTargets;
import dev.coffer.storage.InmemBackend;
import dev.coffer.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Azure Blob target without {@code account_key}: the real SDK's {@code DefaultAzureCredential} takes a token from
 * an App Service style managed identity endpoint (the Azure fake's {@code GET /msi/token}, found through {@code
 * IDENTITY_ENDPOINT}/{@code IDENTITY_HEADER}) and sends it as {@code Authorization: Bearer} over https to {@link
 * FakeBlobService}, which accepts only tokens that endpoint issued for the storage audience, tenant and role.
 *
 * <p>The environment reaches the SDK through the injected {@link Configuration}; MSAL (which azure-identity uses for
 * managed identity) reads the two endpoint variables from the process environment only, so they also go through
 * MSAL's test hook ({@link MsalTestEnvironment}, as the Azure seal's tests do). One fake serves the whole class
 * because MSAL caches managed identity tokens process-wide.
 */
class AzureBlobManagedIdentityTest {
    static final String ACCOUNT = "cofferbackups";
    static final String OTHER_TENANT = "77777777-6666-5555-4444-333333333333";
    static AzureFakeForTests entra;
    static HttpClient http;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    FakeBlobService azure;
    Core core;

    @BeforeAll
    static void startIdentity() {
        entra = AzureFakeForTests.start();
        http = new NettyAsyncHttpClientBuilder(entra.tlsClientTransport()).build();
    }

    @AfterAll
    static void stopIdentity() {
        entra.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        MsalTestEnvironment.install(entra.managedIdentityEnvironment());
        azure = new FakeBlobService(ACCOUNT, entra.tenantId(), entra.tlsServerContext(), entra::tokenGrant);
        azure.createContainer("backups");
        core = new Core(new CoreOptions(new InmemBackend(), "inmem", null, null, null, null, null, clock, null, null));
        core.devInit("root");
        entra.clearRequests();
    }

    @AfterEach
    void tearDown() {
        MsalTestEnvironment.reset();
        core.close();
        azure.close();
    }

    /** Only the given variables, none of the process's: the SDK sees exactly this environment. */
    static Configuration sdkEnvironment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(entra.managedIdentityEnvironment());
        env.putAll(extra);
        ConfigurationSource none = path -> Map.of();
        return new ConfigurationBuilder(none, none, path -> env).build();
    }

    Map<String, String> target() {
        Map<String, String> t = new HashMap<>();
        t.put("account_name", ACCOUNT);
        t.put("container", "backups");
        t.put("prefix", "vault/prod");
        t.put("endpoint", azure.endpoint());
        return t;
    }

    SnapshotScheduler scheduler(Map<String, String> target, Configuration sdkEnvironment) {
        var s = new SnapshotSchedule("hourly", Duration.ofHours(1), 2, "azure-blob", target, "config");
        return new SnapshotScheduler(core, List.of(s), new SnapshotTargets(List.of(
                new AzureBlobTarget.Factory(sdkEnvironment, http))), clock, null);
    }

    /**
     * Every request the blob fake saw carried a bearer token the managed identity endpoint issued for storage (an
     * unknown token would be null here; whether the endpoint was called in this test depends on MSAL's cache).
     */
    void assertAllRequestsUsedTheStorageToken() {
        assertThat(azure.requests).isNotEmpty().allSatisfy(r -> {
            assertThat(r.authorization()).startsWith("Bearer ");
            TokenGrant grant = entra.tokenGrant(r.authorization().substring("Bearer ".length()));
            assertThat(grant).isNotNull();
            assertThat(grant.resource()).isIn("https://storage.azure.com", "https://storage.azure.com/");
            assertThat(grant.clientId()).isEqualTo(entra.managedIdentityClientId());
        });
    }

    @Test
    void userAssignedIdentityByClientId_uploadsListsAndAppliesRetention() {
        azure.contributors.add(entra.managedIdentityClientId());
        Map<String, String> t = target();
        t.put("client_id", entra.managedIdentityClientId());
        try (var sched = scheduler(t, sdkEnvironment(Map.of()))) {
            for (int i = 0; i < 3; i++) {
                assertThat(sched.runDue()).containsExactly("hourly");
                assertThat(sched.status("hourly").orElseThrow().lastError()).isNull();
                clock.advance(Duration.ofHours(1));
            }
        }
        assertThat(azure.names("backups")).containsExactly(
                "vault/prod/coffer-snapshot-hourly-20261120T110000Z.snap",
                "vault/prod/coffer-snapshot-hourly-20261120T120000Z.snap");
        assertThat(azure.requests.stream().filter(r -> r.method().equals("DELETE"))).hasSize(1);
        assertAllRequestsUsedTheStorageToken();
    }

    @Test
    void identityFromAzureClientIdInTheInjectedEnvironment_isUsedWithoutClientIdAttribute() {
        azure.contributors.add(entra.managedIdentityClientId());
        try (var sched = scheduler(target(), sdkEnvironment(Map.of("AZURE_CLIENT_ID", entra.managedIdentityClientId())))) {
            sched.runDue();
            assertThat(sched.status("hourly").orElseThrow().lastError()).isNull();
        }
        assertThat(azure.names("backups")).containsExactly("vault/prod/coffer-snapshot-hourly-20261120T100000Z.snap");
        assertAllRequestsUsedTheStorageToken();
    }

    @Test
    void identityWithoutTheRole_statusNamesTheRoleAndTheIdentity() {
        Map<String, String> t = target();
        t.put("client_id", entra.managedIdentityClientId());
        try (var sched = scheduler(t, sdkEnvironment(Map.of()))) {
            sched.runDue();
            ScheduleStatus failed = sched.status("hourly").orElseThrow();
            assertThat(failed.lastError())
                    .contains("access denied (403 AuthorizationPermissionMismatch)")
                    .contains("the managed identity with client id \"" + entra.managedIdentityClientId() + "\"")
                    .contains("needs the role \"Storage Blob Data Contributor\"")
                    .contains("az role assignment create");
            assertThat(failed.lastSuccess()).isNull();

            azure.contributors.add(entra.managedIdentityClientId()); // the operator assigns the role
            clock.advance(Duration.ofHours(1));
            sched.runDue();
            assertThat(sched.status("hourly").orElseThrow().lastError()).isNull();
        }
        assertThat(azure.names("backups")).containsExactly("vault/prod/coffer-snapshot-hourly-20261120T110000Z.snap");
    }

    @Test
    void anIdentityNotAttachedToTheNode_statusSaysToAttachOneOrDropClientId() {
        azure.contributors.add(entra.managedIdentityClientId());
        Map<String, String> t = target();
        t.put("client_id", "12121212-3434-5656-7878-909090909090");
        try (var sched = scheduler(t, sdkEnvironment(Map.of()))) {
            sched.runDue();
            assertThat(sched.status("hourly").orElseThrow().lastError())
                    .contains("no Azure credential")
                    .contains("client_id \"12121212-3434-5656-7878-909090909090\" must be a user-assigned managed identity")
                    .contains("Storage Blob Data Contributor")
                    .contains("account_key");
        }
        assertThat(azure.requests).isEmpty(); // no token, so nothing reached the storage service
        assertThat(azure.names("backups")).isEmpty();
    }

    @Test
    void aTokenFromAnotherTenant_isRefusedWith401_andTheStatusSaysWhy() {
        azure.contributors.add(entra.managedIdentityClientId());
        azure.tenant = OTHER_TENANT; // the storage account belongs to a tenant the identity does not
        Map<String, String> t = target();
        t.put("client_id", entra.managedIdentityClientId());
        try (var sched = scheduler(t, sdkEnvironment(Map.of()))) {
            sched.runDue();
            assertThat(sched.status("hourly").orElseThrow().lastError())
                    .contains("not authenticated (401 InvalidAuthenticationInfo: Issuer validation failed")
                    .contains("the storage service refused the token the managed identity with client id")
                    .contains("https://storage.azure.com/");
        }
        assertThat(azure.names("backups")).isEmpty();
    }

    @Test
    void aTokenForAnotherAudience_isRefused_andTheSdkFollowsTheChallengeToTheNamedResource() {
        azure.contributors.add(entra.managedIdentityClientId());
        azure.audience = "https://" + ACCOUNT + ".blob.core.windows.net/"; // what this account's challenge names
        Map<String, String> t = target();
        t.put("client_id", entra.managedIdentityClientId());
        try (var sched = scheduler(t, sdkEnvironment(Map.of()))) {
            sched.runDue();
            assertThat(sched.status("hourly").orElseThrow().lastError()).isNull();
        }
        List<String> resources = azure.requests.stream()
                .map(r -> entra.tokenGrant(r.authorization().substring("Bearer ".length())).resource()).toList();
        // the first request carried the default storage token and got 401; the retry a token for the named resource
        assertThat(resources.get(0)).isIn("https://storage.azure.com", "https://storage.azure.com/");
        assertThat(resources.get(1)).isIn("https://" + ACCOUNT + ".blob.core.windows.net",
                "https://" + ACCOUNT + ".blob.core.windows.net/");
        assertThat(azure.names("backups")).containsExactly("vault/prod/coffer-snapshot-hourly-20261120T100000Z.snap");
    }
}
