package dev.coffer.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.logical.LogicalResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The envelope written straight to bytes is, byte for byte, the tree the object mapper would write. */
class EnvelopeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] TEXT = {"", "v", "a\"b\\c", "tab\tnew\nline", "é 漢字 😀", "\u0001", "</script>"};

    private static ObjectNode object(Random r, int depth) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (int i = r.nextInt(5); i > 0; i--) {
            String k = TEXT[r.nextInt(TEXT.length)] + i;
            switch (r.nextInt(depth > 2 ? 5 : 7)) {
                case 0 -> o.put(k, TEXT[r.nextInt(TEXT.length)]);
                case 1 -> o.put(k, r.nextLong());
                case 2 -> o.put(k, r.nextBoolean());
                case 3 -> o.putNull(k);
                case 4 -> o.put(k, r.nextDouble());
                case 5 -> o.set(k, object(r, depth + 1));
                default -> o.putArray(k).add(TEXT[r.nextInt(TEXT.length)]).add(object(r, depth + 1)).addNull();
            }
        }
        return o;
    }

    @Test
    void bytesAreTheObjectMappersBytesOfTheTree() throws Exception {
        Random r = new Random(17);
        for (int i = 0; i < 3_000; i++) {
            List<String> warnings = new ArrayList<>();
            for (int w = r.nextInt(4) == 0 ? r.nextInt(3) + 1 : 0; w > 0; w--) {
                warnings.add(TEXT[r.nextInt(TEXT.length)]);
            }
            LogicalResponse response = new LogicalResponse(r.nextBoolean() ? 200 : 204,
                    r.nextInt(5) == 0 ? null : object(r, 0), r.nextInt(4) == 0 ? object(r, 0) : null, warnings,
                    r.nextInt(3) == 0 ? r.nextInt(100_000) : 0, r.nextBoolean(), null, false);
            String id = "id-" + i;
            assertThat(new String(Envelope.bytes(id, response), UTF_8))
                    .isEqualTo(new String(MAPPER.writeValueAsBytes(Envelope.tree(id, response)), UTF_8));
        }
    }

    @Test
    void theTreeRepeatsDataAtTheTopLevelWhenAskedAndKeepsTheEnvelopeOrder() throws Exception {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("sealed", false).put("lease_duration", 7);
        LogicalResponse response = new LogicalResponse(200, data, null, List.of("w"), 30, true, null, true);
        assertThat(MAPPER.writeValueAsString(Envelope.tree("r1", response))).isEqualTo("{\"request_id\":\"r1\","
                + "\"lease_id\":\"\",\"renewable\":true,\"lease_duration\":30,\"data\":{\"sealed\":false,"
                + "\"lease_duration\":7},\"wrap_info\":null,\"warnings\":[\"w\"],\"auth\":null,\"sealed\":false}");
    }
}
