package dev.coffer.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One enabled audit device as kept in the audit table ({@code core/audit}).
 *
 * @param path        where it is enabled, with a trailing slash, e.g. {@code file/}
 * @param type        the device type, e.g. {@code file}
 * @param description free text shown by {@code sys/audit}
 * @param options     device options, e.g. {@code file_path}
 * @param local       Vault's replication flag; kept and shown, no effect on a single node
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditDeviceConfig(
        @JsonProperty("path") String path,
        @JsonProperty("type") String type,
        @JsonProperty("description") String description,
        @JsonProperty("options") Map<String, String> options,
        @JsonProperty("local") boolean local) {

    public AuditDeviceConfig {
        options = options == null ? Map.of() : Map.copyOf(options);
        description = description == null ? "" : description;
    }

    /** {@code p} with exactly one trailing slash and no leading one; 400 when empty. */
    public static String normalizePath(String p) {
        String s = p == null ? "" : p.strip();
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
            throw new dev.coffer.CofferException.BadRequest("an audit device needs a path, e.g. sys/audit/file");
        }
        return s + "/";
    }
}
