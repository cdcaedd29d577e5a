package dev.coffer.logical.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.CofferException;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The streaming reader of KV v2 key metadata must read exactly what the object mapper reads. */
class KeyMetadataJsonTest {
    private static final String[] TEXT = {"", "2025-06-01T00:00:00Z", "2025-06-01T00:00:00.123456789Z", "a\"b\\c",
        "tab\tnew\nline", "\u0001\u001f", "é ü 漢字 😀", "</script>", "\u2028"};

    private static String text(Random r) {
        return TEXT[r.nextInt(TEXT.length)];
    }

    private static KeyMetadata random(Random r) {
        KeyMetadata m = new KeyMetadata();
        m.createdTime = r.nextInt(50) == 0 ? null : text(r);
        m.updatedTime = r.nextInt(50) == 0 ? null : text(r);
        m.currentVersion = r.nextInt(4) == 0 ? r.nextInt(Integer.MAX_VALUE) : r.nextInt(40);
        m.oldestVersion = r.nextInt(40);
        m.maxVersions = r.nextInt(3) == 0 ? -r.nextInt(5) : r.nextInt(20);
        m.casRequired = r.nextBoolean();
        m.deleteVersionAfterSecs = r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(100_000);
        if (r.nextInt(50) == 0) {
            m.customMetadata = null;
        } else {
            for (int i = r.nextInt(4); i > 0; i--) {
                m.customMetadata.put(text(r) + i, r.nextInt(50) == 0 ? null : text(r));
            }
        }
        if (r.nextInt(50) == 0) {
            m.versions = null;
        } else {
            for (int i = r.nextInt(12); i > 0; i--) {
                int n = r.nextInt(5) == 0 ? r.nextInt(Integer.MAX_VALUE) : r.nextInt(30);
                m.versions.put(n, r.nextInt(100) == 0 ? null
                        : new VersionMeta(r.nextInt(100) == 0 ? null : text(r), text(r), r.nextBoolean()));
            }
        }
        return m;
    }

    private static byte[] mapperBytes(KeyMetadata m) throws Exception {
        return KvV2Store.MAPPER.writeValueAsBytes(m);
    }

    /** The same metadata as far as any reader can tell: same fields, same map kinds and order. */
    private static void assertSame(KeyMetadata actual, KeyMetadata expected) throws Exception {
        assertThat(new String(mapperBytes(actual), UTF_8)).isEqualTo(new String(mapperBytes(expected), UTF_8));
        assertThat(actual.customMetadata == null ? null : actual.customMetadata.getClass())
                .isEqualTo(expected.customMetadata == null ? null : expected.customMetadata.getClass());
        assertThat(actual.versions == null ? null : actual.versions.getClass())
                .isEqualTo(expected.versions == null ? null : expected.versions.getClass());
    }

    @Test
    void readsWhatTheObjectMapperReads() throws Exception {
        Random r = new Random(43);
        int fast = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] json = mapperBytes(random(r));
            KeyMetadata expected = KvV2Store.MAPPER.readValue(json, KeyMetadata.class);
            assertSame(KvV2Store.readMetadata(json, "k"), expected);
            if (KeyMetadataJson.read(json) != null) {
                fast++;
            }
        }
        assertThat(fast).as("most written metadata takes the fast path").isGreaterThan(2_500);
    }

    @Test
    void theWrittenShapeIsReadByTheFastPath() throws Exception {
        KeyMetadata m = KeyMetadata.fresh(java.time.Instant.parse("2025-06-01T00:00:00Z"));
        m.addVersion(java.time.Instant.parse("2025-06-01T00:00:01Z"), 60);
        m.customMetadata = new TreeMap<>(Map.of("owner", "team-a"));
        byte[] json = mapperBytes(m);
        KeyMetadata read = KeyMetadataJson.read(json);
        assertThat(read).isNotNull();
        assertSame(read, KvV2Store.MAPPER.readValue(json, KeyMetadata.class));
        assertThat(read.customMetadata).containsExactly(Map.entry("owner", "team-a"));
        assertThat(read.versions.get(1).deletionTime()).isEqualTo("2025-06-01T00:01:01Z");
    }

    @Test
    void anythingElseIsLeftToTheObjectMapper() throws Exception {
        String[] odd = {
            "{}", "{\"current_version\":\"3\"}", "{\"current_version\":3.0}", "{\"current_version\":null}",
            "{\"current_version\":12345678901}", "{\"delete_version_after\":123456789012345678901}",
            "{\"cas_required\":\"true\"}", "{\"cas_required\":1}", "{\"created_time\":null}", "{\"created_time\":5}",
            "{\"custom_metadata\":null}", "{\"custom_metadata\":{\"a\":null}}", "{\"custom_metadata\":{\"a\":1}}",
            "{\"versions\":null}", "{\"versions\":{\"01\":{}}}", "{\"versions\":{\"+1\":{}}}", "{\"versions\":{\"-1\":{}}}",
            "{\"versions\":{\"1\":null}}", "{\"versions\":{\"1\":{\"deletion_time\":null}}}",
            "{\"versions\":{\"1\":{\"destroyed\":\"yes\"}}}", "{\"versions\":{\"1\":{\"extra\":1}}}",
            "{\"versions\":{\"1\":{}},\"versions\":{\"2\":{}}}", "{\"unknown\":[1,{\"a\":2}],\"current_version\":4}",
            "{\"current_version\":1} trailing", "{\"current_version\":1}{", "[]", "null", "3", "\"x\"",
            "{\"current_version\":", "{\"versions\":{\"x\":{}}}", "{\"versions\":{\"2147483648\":{}}}", "{\"versions\":{\"2147483647\":{}}}", "{\"versions\":{\"1\":{}}", "",
        };
        for (String json : odd) {
            byte[] bytes = json.getBytes(UTF_8);
            KeyMetadata expected;
            try {
                expected = KvV2Store.MAPPER.readValue(bytes, KeyMetadata.class);
            } catch (Exception e) {
                assertThatThrownBy(() -> KvV2Store.readMetadata(bytes, "k")).as(json)
                        .isInstanceOf(CofferException.Internal.class);
                continue;
            }
            if (expected == null) {
                assertThat(KvV2Store.readMetadata(bytes, "k")).as(json).isNull();
                continue;
            }
            assertSame(KvV2Store.readMetadata(bytes, "k"), expected);
        }
    }
}
