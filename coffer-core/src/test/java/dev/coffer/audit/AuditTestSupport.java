package dev.coffer.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.Operation;
import dev.coffer.token.TokenEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Requests and log readers shared by the audit tests. */
final class AuditTestSupport {
    static final ObjectMapper M = new ObjectMapper();
    static final String TOKEN = "hvs.test-root-token-value";
    static final String ACCESSOR = "accessor-1234";

    private AuditTestSupport() {
    }

    static LogicalRequest write(String path, String field, String value) {
        ObjectNode data = M.createObjectNode().put(field, value).put("count", 3);
        return new LogicalRequest("req-1", Operation.UPDATE, path, "secret/", "app", data, TOKEN,
                new TokenEntry("key-hash", ACCESSOR, List.of("root"), "root", 0, "", "auth/token/root", Map.of(), 0, 0, 0, 0, 0,
                        false, true), "10.0.0.7", Map.of());
    }

    static List<JsonNode> entries(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                out.add(M.readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AuditDeviceConfig fileDevice(String path, Path file, String... options) {
        Map<String, String> o = new java.util.HashMap<>();
        o.put("file_path", file.toString());
        for (int i = 0; i < options.length; i += 2) {
            o.put(options[i], options[i + 1]);
        }
        return new AuditDeviceConfig(path, "file", "test device", o, false);
    }

    /** A device type that fails every write, or only while {@code failing} is set. */
    static final class FailingDevice implements AuditDevice {
        volatile boolean failing = true;
        int written;

        @Override
        public void write(ObjectNode entry) throws IOException {
            if (failing) {
                throw new IOException("injected audit failure");
            }
            written++;
        }

        @Override
        public AuditFormat format() {
            return new AuditFormat(false, true, "");
        }

        @Override
        public void close() {
        }
    }
}
