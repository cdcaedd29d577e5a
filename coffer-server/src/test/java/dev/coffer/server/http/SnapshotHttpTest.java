package dev.coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.Core;
import dev.coffer.core.CoreOptions;
import dev.coffer.server.http.TestServer.Res;
import dev.coffer.storage.InmemBackend;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sys/storage/raft/snapshot and sys/storage/snapshot over real HTTP: streamed save, raw-body restore exempt from
 * max_request_size, and broken archives refused with a 400 that says what is wrong while the data stays as it was.
 */
class SnapshotHttpTest {
    private static final long MAX_BODY = 1024;
    @RegisterExtension
    final TestServerExtension fixture = TestServerExtension.dev(MAX_BODY);

    private Res send(String method, String path, byte[] body) {
        return fixture.server().send(method, path, body);
    }

    private void putSecret(String name, String value) throws Exception {
        Res r = send("POST", "secret/data/" + name, ("{\"data\":{\"v\":\"" + value + "\"}}").getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(200);
    }

    private String secret(String name) throws Exception {
        Res r = send("GET", "secret/data/" + name, null);
        return r.status() == 200 ? r.body().path("data").path("data").path("v").asText() : null;
    }

    private byte[] save() throws Exception {
        Res r = send("GET", "sys/storage/raft/snapshot", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/gzip");
        return r.bytes();
    }

    @Test
    void saveThenRestore_rollsBackLaterWrites_evenAboveMaxRequestSize() throws Exception {
        putSecret("early", "1");
        byte[] archive = save();
        assertThat(archive.length).isGreaterThan((int) MAX_BODY);
        putSecret("late", "2");

        assertThat(send("POST", "sys/storage/raft/snapshot", archive).status()).isEqualTo(204);

        assertThat(secret("early")).isEqualTo("1");
        assertThat(secret("late")).isNull();
        assertThat(send("GET", "sys/storage/snapshot", null).status()).isEqualTo(200);
    }

    @Test
    void snapshotRoutesNeedSudo() throws Exception {
        assertThat(fixture.server().call("GET", "sys/storage/raft/snapshot", null, null).status()).isEqualTo(403);
    }

    @Test
    void brokenArchivesAreRefusedWith400_andTheDataIsUntouched() throws Exception {
        putSecret("early", "1");
        byte[] good = save();
        putSecret("late", "2");

        expectRefused(Arrays.copyOf(good, good.length / 2), "truncated");
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x01;
        expectRefused(flipped, "");
        expectRefused(rebuild(good, m -> without(m, "metadata.json")), "'metadata.json' is missing");
        expectRefused(rebuild(good, m -> with(m, "notes.txt", "hello".getBytes(StandardCharsets.UTF_8))),
                "unexpected member 'notes.txt'");
        expectRefused(rebuild(good, m -> with(m, "SHA256SUMS", wrongSums(m.get("SHA256SUMS")))),
                "does not match SHA256SUMS");
        expectRefused(rebuild(good, m -> with(m, "metadata.json", "{\"format_version\":1,\"entry_count\":1}"
                .getBytes(StandardCharsets.UTF_8))), "does not match SHA256SUMS");
        expectRefused("not a snapshot".getBytes(StandardCharsets.UTF_8), "not a complete gzip'd tar");
    }

    @Test
    void anotherVaultsArchive_isRefusedNamingForce_andForceSealsTheNode() throws Exception {
        byte[] foreign;
        try (Core other = new Core(CoreOptions.of(new InmemBackend(), "inmem"))) {
            other.devInit("other");
            try (var snapshot = dev.coffer.snapshot.Snapshots.save(other)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                snapshot.writeTo(out);
                foreign = out.toByteArray();
            }
        }
        putSecret("mine", "1");

        Res refused = send("POST", "sys/storage/raft/snapshot", foreign);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).contains("not taken from this vault", "-force", "unseal keys");
        assertThat(secret("mine")).isEqualTo("1");

        Res forced = send("POST", "sys/storage/snapshot-force", foreign);
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.body().path("data").path("sealed").asBoolean()).isTrue();
        assertThat(fixture.server().core().sealed()).isTrue();
    }

    private void expectRefused(byte[] archive, String reason) throws Exception {
        Res r = send("POST", "sys/storage/raft/snapshot", archive);
        assertThat(r.status()).as(r.errors()).isEqualTo(400);
        assertThat(r.errors()).contains("snapshot").contains(reason);
        assertThat(fixture.server().core().sealed()).isFalse();
        assertThat(secret("early")).isEqualTo("1");
        assertThat(secret("late")).isEqualTo("2");
    }

    private static byte[] wrongSums(byte[] sums) {
        String text = new String(sums, StandardCharsets.UTF_8);
        char first = text.charAt(0);
        return ((first == '0' ? '1' : '0') + text.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> without(Map<String, byte[]> members, String name) {
        members.remove(name);
        return members;
    }

    private static Map<String, byte[]> with(Map<String, byte[]> members, String name, byte[] data) {
        members.put(name, data);
        return members;
    }

    /** Unpacks an archive, changes its members, and packs it again with valid gzip and tar framing. */
    private static byte[] rebuild(byte[] archive, UnaryOperator<Map<String, byte[]>> change) throws Exception {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                members.put(e.getName(), tar.readAllBytes());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            for (Map.Entry<String, byte[]> m : change.apply(members).entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                e.setSize(m.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(m.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }
}
